// A connection = a local key + a pass for it + a pinned gateway host key + an entry in the ssh
// config block. Everything the backend sends is validated before any file is touched; a bad
// answer leaves every file byte for byte as it was.
import type { SshPass, Workspace } from '../../shared/protocol.js';
import type { ApiClient } from '../api/apiClient.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { RuncodeError } from '../errors.js';
import type { KeyStore } from '../keys/keyStore.js';
import type { PassTimes } from '../refresh/refresher.js';
import type { CoalescingConfigWriter } from '../ssh/coalescingConfigWriter.js';
import type { KnownHosts } from '../ssh/knownHosts.js';
import { generateEd25519KeyPair } from '../ssh/opensshKey.js';
import type { HostEntry } from '../ssh/hostEntry.js';
import { validateHostEntry } from '../ssh/sshConfigBlock.js';
import type { SshTarget } from '../ssh/sshTarget.js';
import type { ConnectionRecord, ConnectionStore } from '../state/connectionStore.js';
import fs from 'node:fs/promises';
import { withConnectionLock } from '../keys/connectionLock.js';
import { crashPoint } from '../keys/crashPoint.js';
import { ConnectionRepair } from './connectionRepair.js';
import { RenewalBatch } from './renewalBatch.js';
import { hostKeyAlias } from '../ssh/sshValues.js';

export interface ConnectionsDeps {
  stateDir: string;
  api: () => Promise<ApiClient>;
  /** Throws, before anything is generated or registered, when the config cannot be written. */
  preflight: () => Promise<unknown>;
  keys: KeyStore;
  knownHosts: KnownHosts;
  config: CoalescingConfigWriter;
  store: ConnectionStore;
  clock?: Clock;
}

export class Connections {
  private readonly clock: Clock;
  /** Renewals with `deferWrite`, written together by flushRenewals. */
  private readonly batch: RenewalBatch;

  private readonly repair: ConnectionRepair;

  constructor(private readonly d: ConnectionsDeps) {
    this.clock = d.clock ?? systemClock;
    this.batch = new RenewalBatch(d.store);
    this.repair = new ConnectionRepair({
      keys: d.keys,
      knownHosts: d.knownHosts,
      store: d.store,
      config: d.config,
      entry: (r) => this.entry(r),
      hostKeyAlias,
      lock: (name, fn) => this.lock(name, fn),
      revoke: (id, key) => this.revokeQuietly(id, key),
      rekey: (ws) => this.connectLocked(ws),
      workspaceIdOf: async (name) =>
        (await (await d.api()).listWorkspaces()).find((w) => w.name === name)?.id,
    });
  }

  /** The records, with renewals not yet written laid over them. */
  async list(): Promise<ConnectionRecord[]> {
    return (await this.d.store.all()).map((c) => this.batch.latest(c));
  }

  async get(name: string): Promise<ConnectionRecord | undefined> {
    const rec = await this.d.store.get(name);
    return rec && this.batch.latest(rec);
  }

  /** The ssh config entry for a connection: its IdentityFile is the key the record names. */
  entry(rec: Pick<ConnectionRecord, 'name' | 'pass' | 'publicKey'>): HostEntry {
    return {
      name: rec.name,
      hostName: rec.pass.gateway.host,
      port: rec.pass.gateway.port,
      user: rec.pass.user,
      identityFile: this.d.keys.paths(rec.name, rec.publicKey).privateKeyPath,
      knownHostsFile: this.d.knownHosts.path,
      hostKeyAlias: hostKeyAlias(rec.name),
    };
  }

  /**
   * A fresh key, a pass for it, the gateway's host key pinned, the record and the config entry
   * written, under the workspace's lock; then the previous key's files go and its pass is
   * revoked. Takes only what the caller knows (the workspace's id and name); resolves with the
   * record. The workspace should be running (the backend may refuse a pass otherwise).
   */
  async connect(ws: Pick<Workspace, 'id' | 'name'>): Promise<ConnectionRecord> {
    // Refuse early, before anything is generated or registered, if the config cannot be written
    // or connections.json is damaged (the record could not be written after the pass).
    await Promise.all([this.d.preflight(), this.d.store.all()]);
    return this.lock(ws.name, () => this.connectLocked(ws));
  }

  /** Heals every workspace a crash or a race left inconsistent (start-up sweep); the names repaired. */
  sweep(): Promise<string[]> {
    return this.repair.sweep();
  }

  /** Heals one workspace (its key on disk against its record, its pin, its entry). */
  heal(name: string): Promise<ConnectionRecord | undefined> {
    return this.repair.heal(name);
  }

  private lock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return withConnectionLock(this.d.stateDir, name, fn);
  }

  /**
   * The steps in the order a crash at any of them heals: the key is written under its own name
   * before it is registered (so any pass granted has its key on disk for the sweep to revoke),
   * the record switches to it in one rename, and only after the entry names it does the old key go.
   */
  private async connectLocked(ws: Pick<Workspace, 'id' | 'name'>): Promise<ConnectionRecord> {
    const pair = generateEd25519KeyPair(`runcode-${ws.name}`);
    const issuedAt = new Date(this.clock.now()).toISOString();
    await this.d.keys.save(ws.name, pair);
    crashPoint('key');
    let rec: ConnectionRecord;
    try {
      const pass = await (await this.d.api()).createSshPass(ws.id, pair.publicKey);
      crashPoint('pass');
      rec = { name: ws.name, workspaceId: ws.id, publicKey: pair.publicKey, pass, issuedAt };
      try {
        validateHostEntry(this.entry(rec));
        await this.d.knownHosts.pin(hostKeyAlias(ws.name), pass.hostKeys);
      } catch (e) {
        await this.revokeQuietly(ws.id, pair.publicKey);
        throw e;
      }
    } catch (e) {
      await this.d.keys.remove(ws.name, pair.publicKey).catch(() => undefined);
      throw e;
    }
    crashPoint('pin');
    this.batch.drop(ws.name);
    await this.d.store.put(rec);
    crashPoint('record');
    // Someone is waiting on this connect: write now, not after the coalescing window (that is
    // for renewals and sign-in, where many changes arrive together).
    const written = this.d.config.upsert(this.entry(rec));
    await this.d.config.flush();
    await written;
    crashPoint('config');
    // The previous key, and any a crash or an older version left, with the passes they held.
    await this.repair.tidy(ws.name, rec, ws.id);
    return rec;
  }

  /**
   * Renews the pass for the key already registered. Pins and the config entry change only when
   * the backend's answer changed them; the caller writes the config once per batch.
   */
  async renew(
    name: string,
    opts: { deferWrite?: boolean } = {},
  ): Promise<{ times: PassTimes; entryChanged: boolean; record: ConnectionRecord }> {
    let rec = opts.deferWrite ? await this.batch.record(name) : await this.get(name);
    if (!rec)
      throw new RuncodeError('not_connected', `${name} is not connected; run \`runcode connect ${name}\``);
    if (!(await exists(this.d.keys.paths(name, rec.publicKey).privateKeyPath))) {
      // The key the record names is gone (a crash, another process mid-connect, a user's rm):
      // heal under the lock (waits for a connect in flight, else registers a fresh key).
      rec = await this.heal(name);
      if (!rec) throw new RuncodeError('not_connected', `${name} is not connected any more`);
      return { times: passTimes(rec), entryChanged: false, record: rec };
    }
    const issuedAt = this.clock.now();
    const pass = await (await this.d.api()).createSshPass(rec.workspaceId, rec.publicKey);
    const next: ConnectionRecord = { ...rec, pass, issuedAt: new Date(issuedAt).toISOString() };
    const entry = this.entry(next);
    validateHostEntry(entry);
    if (!sameKeys(rec.pass.hostKeys, pass.hostKeys))
      await this.d.knownHosts.pin(hostKeyAlias(name), pass.hostKeys);
    if (opts.deferWrite) this.batch.hold(next);
    else await this.d.store.put(next);
    const entryChanged = JSON.stringify(entry) !== JSON.stringify(this.entry(rec));
    return { times: passTimes(next), entryChanged, record: next };
  }

  /**
   * Writes the records that renewals with `deferWrite` changed, in one update (renewalBatch.ts
   * says why), and lets the next batch read the file afresh. Resolves with the records written.
   */
  async flushRenewals(): Promise<ConnectionRecord[]> {
    const { written, stale } = await this.batch.flush();
    // Reconnected with another key or disconnected while renewing: the pass just renewed is for
    // a key no record names (its files are gone or going), so it must not outlive the batch.
    await Promise.all(stale.map((r) => this.revokeQuietly(r.workspaceId, r.publicKey)));
    return written;
  }

  /**
   * Revokes the pass (best effort), drops the record, the entry, the keys and pins, under the
   * workspace's lock. The record goes first: a crash after it leaves files the sweep removes.
   */
  async disconnect(name: string, opts: { revoke?: boolean } = {}): Promise<void> {
    await this.lock(name, async () => {
      const rec = await this.d.store.get(name);
      this.batch.drop(name);
      if (rec && opts.revoke !== false) await this.revokeQuietly(rec.workspaceId, rec.publicKey);
      await this.d.store.remove(name);
      // As in connect: someone is waiting, so no coalescing window.
      const removed = this.d.config.remove(name);
      await this.d.config.flush();
      await removed;
      await this.d.keys.removeName(name);
      await this.d.knownHosts.unpin(hostKeyAlias(name));
    });
  }

  /**
   * Everything for every connection (sign-out). A damaged connections.json is reported
   * (`state_corrupt`) before anything is touched: deleting it silently would leave its passes
   * unrevoked without a word.
   */
  async disconnectAll(opts: { revoke?: boolean } = {}): Promise<void> {
    // Check before acting: a config we could not clean up (broken markers, read-only) fails here,
    // before any pass is revoked, so "nothing was changed" is true.
    const [all] = await Promise.all([this.d.store.all(), this.d.preflight()]);
    this.batch.clear();
    if (opts.revoke !== false)
      await Promise.all(all.map((r) => this.revokeQuietly(r.workspaceId, r.publicKey)));
    // Both files: our own emptied, the user's block removed (opted in or a stale one).
    await this.d.config.replaceAll([]);
    await this.d.config.removeUserBlock();
    await this.d.keys.removeAll();
    // Every pin goes, also those of connections the records no longer name.
    const aliases = new Set([
      ...all.map((r) => hostKeyAlias(r.name)),
      ...(await this.d.knownHosts.list().catch(() => [])).map((p) => p.alias),
    ]);
    for (const alias of aliases) await this.d.knownHosts.unpin(alias).catch(() => undefined);
    await this.d.store.clear();
  }

  /** Rewrites our own file (and the block, while opted in) from the connections. */
  async writeConfig(): Promise<{ changed: boolean; path: string }> {
    const all = await this.d.store.all();
    return this.d.config.replaceAll(all.map((r) => this.entry(r)));
  }

  /** Where and how to reach a connected workspace with ssh2 (forwards, exec, the readiness probe). */
  async target(name: string): Promise<SshTarget> {
    const rec = await this.d.store.get(name);
    if (!rec)
      throw new RuncodeError('not_connected', `${name} is not connected; run \`runcode connect ${name}\``);
    const privateKey = await fs
      .readFile(this.d.keys.paths(name, rec.publicKey).privateKeyPath, 'utf8')
      .catch(() => {
        throw new RuncodeError(
          'key_missing',
          `the key for ${name} is missing; run \`runcode connect ${name}\` again`,
        );
      });
    return {
      host: rec.pass.gateway.host,
      port: rec.pass.gateway.port,
      user: rec.pass.user,
      privateKey,
      hostKeys: rec.pass.hostKeys,
    };
  }

  private async revokeQuietly(id: string, publicKey: string): Promise<void> {
    // The pass expires by itself within minutes; a failed revoke must not block the user.
    await this.d
      .api()
      .then((api) => api.revokeSshPass(id, publicKey))
      .catch(() => undefined);
  }
}

export function passTimes(rec: { pass: SshPass; issuedAt: string }): PassTimes {
  return { issuedAt: Date.parse(rec.issuedAt), expiresAt: Date.parse(rec.pass.expiresAt) };
}

const exists = (p: string): Promise<boolean> =>
  fs.access(p).then(
    () => true,
    () => false,
  );

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
