// The core, wired: what the tray's main process and the CLI both drive. Each front end builds one
// with its own SecretStore and SettingsStore (the composition roots are src/main/index.ts and
// src/cli/). Plain constructors, no container.
import fs from 'node:fs';
import type { Workspace } from '../../shared/protocol.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { RuncodeError } from '../errors.js';
import { KeyStore } from '../keys/keyStore.js';
import { waitUntilReady } from '../live/waitReady.js';
import type { ReadyProgress } from '../live/waitReady.js';
import type { RenewResult } from '../refresh/refresher.js';
import { Refresher } from '../refresh/refresher.js';
import type { SecretStore } from '../secrets/secretStore.js';
import { CoalescingConfigWriter } from '../ssh/coalescingConfigWriter.js';
import { KnownHosts } from '../ssh/knownHosts.js';
import { SshConfigFile } from '../ssh/sshConfigFile.js';
import { ConnectionStore } from '../state/connectionStore.js';
import type { SettingsStore } from '../state/settingsFile.js';
import type { ConnectionRecord } from '../state/connectionStore.js';
import { Connections, passTimes } from './connections.js';
import { adoptExistingBlock, sshConfigOptedIn } from './sshConfigOptIn.js';
import { Session } from './session.js';
import { sshAlias } from '../../shared/workspaceName.js';

export interface RuncodeAppOptions {
  stateDir: string;
  sshConfigPath: string;
  secrets: SecretStore;
  settings: SettingsStore;
  clock?: Clock;
}

export interface ConnectOptions {
  /** Start the workspace if it is stopped. */
  start?: boolean;
  /** Wait until SSH actually answers (default: until `running`). */
  wait?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export class RuncodeApp {
  readonly session: Session;
  readonly connections: Connections;
  readonly configFile: SshConfigFile;
  readonly keys: KeyStore;
  readonly knownHosts: KnownHosts;
  readonly clock: Clock;
  /** RunCode's own `<state>/ssh_config`: every host, always. */
  readonly ownConfigFile: SshConfigFile;
  /** The one writer of both files: our own always, the user's block while opted in. */
  readonly config: CoalescingConfigWriter;
  private refresherInstance: Refresher | undefined;
  /** The pass expiry and key each tracked workspace was last tracked with. */
  private readonly trackedPasses = new Map<string, { expiresAt: number; publicKey: string }>();

  constructor(readonly opts: RuncodeAppOptions) {
    this.clock = opts.clock ?? systemClock;
    // Every store below writes into it (the lock files first); a fresh install has none yet.
    fs.mkdirSync(opts.stateDir, { recursive: true, mode: 0o700 });
    this.session = new Session(opts.secrets, opts.settings);
    this.keys = new KeyStore(opts.stateDir);
    this.knownHosts = new KnownHosts(opts.stateDir);
    this.configFile = new SshConfigFile({ path: opts.sshConfigPath, stateDir: opts.stateDir });
    this.ownConfigFile = SshConfigFile.own(opts.stateDir);
    this.config = new CoalescingConfigWriter(this.ownConfigFile, {
      userFile: this.configFile,
      // ~/.ssh/config is touched only after `runcode config-ssh` or the tray's switch.
      userBlockEnabled: () => sshConfigOptedIn({ settings: opts.settings }),
    });
    this.connections = new Connections({
      stateDir: opts.stateDir,
      api: () => this.session.api(),
      preflight: () => this.config.preflight(),
      keys: this.keys,
      knownHosts: this.knownHosts,
      config: this.config,
      store: new ConnectionStore(opts.stateDir),
      clock: this.clock,
    });
  }

  /** The running refresher, once startRefresher() was called. */
  get refresher(): Refresher | undefined {
    return this.refresherInstance;
  }

  get settings(): SettingsStore {
    return this.opts.settings;
  }

  async listWorkspaces(): Promise<Workspace[]> {
    return (await this.session.api()).listWorkspaces();
  }

  /** The workspace called `name`; `not_found` with the names there are. */
  async findWorkspace(name: string): Promise<Workspace> {
    const all = await this.listWorkspaces();
    const ws = all.find((w) => w.name === name);
    if (!ws) {
      const known = all.map((w) => w.name).join(', ') || 'none';
      throw new RuncodeError('not_found', `no workspace named "${name}" (yours: ${known})`);
    }
    return ws;
  }

  async start(name: string): Promise<Workspace> {
    const ws = await this.findWorkspace(name);
    return (await this.session.api()).startWorkspace(ws.id);
  }

  async stop(name: string): Promise<Workspace> {
    const ws = await this.findWorkspace(name);
    return (await this.session.api()).stopWorkspace(ws.id);
  }

  /** Polls until `running` (and, with `probe`, until SSH answers). */
  async waitReady(
    which: string | Workspace,
    o: { probe: boolean; timeoutMs?: number; signal?: AbortSignal; onProgress?: (p: ReadyProgress) => void },
  ): Promise<Workspace> {
    const api = await this.session.api();
    const ws = typeof which === 'string' ? await this.findWorkspace(which) : which;
    return waitUntilReady({
      getWorkspace: () => api.getWorkspace(ws.id),
      probe: o.probe ? () => this.probe(ws.name) : async () => undefined,
      timeoutMs: o.timeoutMs ?? 120_000,
      clock: this.clock,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
  }

  /** One SSH handshake through the gateway with the current pass and the pinned host key. */
  async probe(name: string): Promise<void> {
    // ssh2 loads here, on first use: `runcode agent` and the tray without forwards never need it.
    const { connectSsh } = await import('../ssh/sshConnection.js');
    const client = await connectSsh(await this.connections.target(name), { readyTimeoutMs: 10_000 });
    client.end();
  }

  /**
   * `runcode connect` and the tray's Connect: (start,) wait for running, fresh key + pass + entry,
   * (wait for SSH). Takes the workspace when the caller holds it (the tray), else its name (one
   * list request). Resolves with the alias to use and the record written.
   */
  async connect(
    which: string | Workspace,
    o: ConnectOptions = {},
  ): Promise<{ alias: string; workspace: Workspace; record: ConnectionRecord }> {
    const say = o.onProgress ?? (() => undefined);
    let ws = typeof which === 'string' ? await this.findWorkspace(which) : which;
    const name = ws.name;
    if (ws.state === 'stopped' || ws.state === 'stopping' || ws.state === 'failed') {
      if (!o.start) {
        throw new RuncodeError(
          'not_running',
          `${name} is ${ws.state}; start it first (\`runcode start ${name}\`, or connect with --start)`,
        );
      }
      say(`starting ${name}...`);
      ws = await (await this.session.api()).startWorkspace(ws.id);
    }
    if (ws.state !== 'running') {
      say(`waiting for ${name} to be running...`);
      ws = await this.waitReady(ws, { probe: false, ...pick(o) });
    }
    say(`registering a fresh key for ${name}...`);
    const record = await this.connections.connect(ws);
    this.track(record);
    if (o.wait) {
      say(`waiting for SSH to answer...`);
      ws = await this.waitReady(ws, { probe: true, ...pick(o) });
    }
    return { alias: sshAlias(name), workspace: ws, record };
  }

  async disconnect(name: string): Promise<void> {
    await this.connections.disconnect(name);
    this.refresherInstance?.untrack(name);
    this.trackedPasses.delete(name);
  }

  /**
   * Keeps every connection's pass fresh until dispose(). First sweeps what a crash or a race
   * left (orphan keys and temps, records whose key is gone, wrong pins, stale entries).
   */
  async startRefresher(
    onResult?: (r: RenewResult) => void,
    onRepaired?: (names: string[]) => void,
  ): Promise<Refresher> {
    if (this.refresherInstance) return this.refresherInstance;
    // A damaged connections.json fails here, loudly; later syncs keep the last good view.
    await this.connections.list();
    await adoptExistingBlock(this).catch(() => false);
    const repaired = await this.connections.sweep().catch(() => []);
    if (repaired.length) onRepaired?.(repaired);
    const changedEntries = new Set<string>();
    const refresher = new Refresher({
      clock: this.clock,
      renew: async (name) => {
        const { times, entryChanged, record } = await this.connections.renew(name, { deferWrite: true });
        this.trackedPasses.set(name, { expiresAt: times.expiresAt, publicKey: record.publicKey });
        if (entryChanged) changedEntries.add(name);
        return times;
      },
      onBatch: async (results) => {
        // One connections.json write per batch; one that fails is retried with the next batch
        // (the passes themselves are renewed on the server either way).
        const written = await this.connections.flushRenewals().catch(() => []);
        // Only entries of records still in the file (a reconnect elsewhere wrote its own).
        for (const rec of written)
          if (changedEntries.delete(rec.name)) void this.config.upsert(this.connections.entry(rec));
        await this.config.flush(); // one config write per batch, if anything changed
        results.forEach((r) => onResult?.(r));
      },
    });
    this.refresherInstance = refresher;
    await this.syncRefresher();
    return refresher;
  }

  /** Tracks a record this process just wrote (no re-read of connections.json). */
  private track(rec: ConnectionRecord): void {
    const r = this.refresherInstance;
    if (!r) return;
    const times = passTimes(rec);
    this.trackedPasses.set(rec.name, { expiresAt: times.expiresAt, publicKey: rec.publicKey });
    r.track(rec.name, times);
  }

  /**
   * Brings the refresher in line with connections.json after another process (the tray, another
   * `runcode`) connected, renewed or disconnected a workspace. A workspace whose key changed
   * elsewhere is healed: if that process died half-way, its entry and old key are put right here.
   */
  async syncRefresher(): Promise<void> {
    const r = this.refresherInstance;
    if (!r) return;
    const recs = await this.connections.list().catch(() => undefined);
    if (!recs) return; // a damaged file is reported by the commands that read it
    const seen = new Set<string>();
    for (const rec of recs) {
      seen.add(rec.name);
      const times = passTimes(rec);
      const before = this.trackedPasses.get(rec.name);
      if (before?.expiresAt !== times.expiresAt || before.publicKey !== rec.publicKey) {
        this.trackedPasses.set(rec.name, { expiresAt: times.expiresAt, publicKey: rec.publicKey });
        r.track(rec.name, times);
        if (before && before.publicKey !== rec.publicKey)
          void this.connections.heal(rec.name).catch(() => undefined);
      }
    }
    for (const name of r.tracked()) {
      if (!seen.has(name)) {
        r.untrack(name);
        this.trackedPasses.delete(name);
      }
    }
  }

  /**
   * Watches the state dir for connections.json changing (another process connected, renewed or
   * disconnected: the CLI, `runcode mcp`, the tray); `onChange` then runs after the refresher is in
   * line. Returns the stop.
   */
  watchConnections(onChange?: () => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    const watcher = fs.watch(this.opts.stateDir, (_event, file) => {
      if (file !== null && !String(file).startsWith('connections.json')) return;
      clearTimeout(timer);
      timer = setTimeout(() => void this.syncRefresher().then(onChange), 100);
    });
    watcher.on('error', () => undefined);
    return () => {
      clearTimeout(timer);
      watcher.close();
    };
  }

  /** Sign-out: passes and token revoked, keys and pins deleted, the block removed. */
  async signOut(): Promise<void> {
    this.refresherInstance?.dispose();
    this.refresherInstance = undefined;
    const online = await this.session.signedIn();
    await this.connections.disconnectAll({ revoke: online });
    await this.config.flush();
    await this.session.signOut();
  }

  async dispose(): Promise<void> {
    this.refresherInstance?.dispose();
    this.refresherInstance = undefined;
    await this.connections.flushRenewals().catch(() => undefined);
    await this.config.dispose();
    this.session.dispose();
  }
}

function pick(o: ConnectOptions) {
  return {
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  };
}
