// Port forwards for all workspaces: loopback listeners whose connections ride one shared SSH
// connection per workspace (opened with the first forward, closed with the last). Listeners stay
// open while the connection is re-established, so a browser tab keeps its URL.
//
// Persistence stays with the caller: `wanted()` is what to store (say, in settings) and
// `restore(list)` brings it back after a restart.
import net from 'node:net';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { RuncodeError, toErrorInfo } from '../errors.js';
import type { SshTarget } from '../ssh/sshTarget.js';
import type { BackoffOptions } from './backoff.js';
import { Forward, forwardKey } from './forward.js';
import type { ForwardInfo, ForwardState, WantedForward } from './forward.js';
import { listenOnFreePort } from './portPicker.js';
import { bridgeSocket } from './socketBridge.js';
import { WorkspaceConnection } from './workspaceConnection.js';
import type { ConnectFn, LinkState } from './workspaceConnection.js';

export interface ForwardManagerOptions {
  /** The workspace's current target; asked again on every (re)connect, so a refreshed pass is used. */
  getTarget(workspace: string): Promise<SshTarget>;
  clock?: Clock;
  random?: () => number;
  backoff?: BackoffOptions;
  /** How long a new local connection waits while the SSH connection is being re-established. Default 5 s. */
  connectWaitMs?: number;
  /** Handshake limit per attempt. Default 15 s. */
  readyTimeoutMs?: number;
  /** Traffic and connection counters are announced at most this often (state changes at once). Default 1 s. */
  statsIntervalMs?: number;
  /** For tests: replaces connectSsh. */
  connect?: ConnectFn;
  /** Told about each workspace's shared connection (the tray's link health). */
  links?: LinkObserver;
}

/** What happens to a workspace's shared SSH connection, for whoever shows its health. */
export interface LinkObserver {
  state(workspace: string, state: LinkState, reason: string | undefined): void;
  retryAt(workspace: string, atMs: number): void;
  roundTrip(workspace: string, ms: number): void;
  /** The last forward of the workspace went away, and its connection with it. */
  closed(workspace: string): void;
}

export type ForwardEvent =
  { type: 'changed'; forward: ForwardInfo } | { type: 'removed'; workspace: string; remotePort: number };

export type RestoreResult =
  | { ok: true; forward: ForwardInfo }
  | { ok: false; wanted: WantedForward; error: { code: string; message: string } };

interface Entry {
  forward: Forward;
  server: net.Server;
  sockets: Set<net.Socket>;
  cancelStats?: () => void;
}

const FORWARD_STATE: Record<LinkState, ForwardState> = {
  connecting: 'starting',
  connected: 'active',
  reconnecting: 'reconnecting',
  failed: 'failed',
};

export class ForwardManager {
  private readonly entries = new Map<string, Entry>();
  private readonly adding = new Map<string, Promise<ForwardInfo>>();
  private readonly links = new Map<string, WorkspaceConnection>();
  private readonly listeners = new Set<(e: ForwardEvent) => void>();
  private readonly clock: Clock;
  private disposed = false;

  constructor(private readonly opts: ForwardManagerOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  /** Starts a forward (or returns the existing one); resolves once its local listener is up. */
  add(wanted: WantedForward): Promise<ForwardInfo> {
    if (this.disposed) return Promise.reject(stopped());
    const key = forwardKey(wanted.workspace, wanted.remotePort);
    const existing = this.entries.get(key);
    if (existing) return Promise.resolve(existing.forward.info());
    let pending = this.adding.get(key);
    if (!pending) {
      pending = this.create(wanted).finally(() => this.adding.delete(key));
      this.adding.set(key, pending);
    }
    return pending;
  }

  async remove(workspace: string, remotePort: number): Promise<void> {
    const key = forwardKey(workspace, remotePort);
    await this.adding.get(key)?.catch(() => undefined);
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    await closeEntry(entry);
    this.emit({ type: 'removed', workspace, remotePort });
    await this.releaseLink(workspace);
  }

  list(): ForwardInfo[] {
    return [...this.entries.values()].map((e) => e.forward.info());
  }

  get(workspace: string, remotePort: number): ForwardInfo | undefined {
    return this.entries.get(forwardKey(workspace, remotePort))?.forward.info();
  }

  /** What to persist. */
  wanted(): WantedForward[] {
    return [...this.entries.values()].map((e) => e.forward.wanted());
  }

  /** Brings back persisted forwards; one that cannot start is reported, the others still start. */
  async restore(list: readonly WantedForward[]): Promise<RestoreResult[]> {
    return Promise.all(
      list.map(async (wanted): Promise<RestoreResult> => {
        try {
          return { ok: true, forward: await this.add(wanted) };
        } catch (e) {
          return { ok: false, wanted, error: toErrorInfo(e) };
        }
      }),
    );
  }

  /** Every change of state or traffic; returns the unsubscribe. */
  subscribe(listener: (e: ForwardEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** After wake from sleep or a network change: reconnect now instead of waiting for keepalives. */
  reconnectNow(workspace?: string): void {
    for (const [ws, link] of this.links) if (workspace === undefined || ws === workspace) link.reconnectNow();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all([...this.adding.values()].map((p) => p.catch(() => undefined)));
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map(closeEntry));
    const links = [...this.links.values()];
    this.links.clear();
    await Promise.all(links.map((l) => l.dispose()));
    this.listeners.clear();
  }

  private async create(wanted: WantedForward): Promise<ForwardInfo> {
    const sockets = new Set<net.Socket>();
    const slot: { entry?: Entry } = {};
    // allowHalfOpen: a client that sends its request then shuts down its side must still get the answer.
    const server = net.createServer({ allowHalfOpen: true }, (sock) => {
      if (slot.entry) this.accept(slot.entry, sock);
      else sock.destroy();
    });
    const picked = await listenOnFreePort(server, wanted.localPort ?? wanted.remotePort);
    if (this.disposed) {
      await closeServer(server);
      throw stopped();
    }
    const forward = new Forward(wanted.workspace, wanted.remotePort, picked.port, wanted.localPort);
    forward.portNote = picked.reason;
    const e: Entry = { forward, server, sockets };
    slot.entry = e;
    this.entries.set(forward.key, e);
    server.on('error', (err) => {
      forward.state = 'failed';
      forward.stateReason = `the local listener failed: ${err.message}`;
      this.changed(e);
    });
    const link = this.linkFor(wanted.workspace);
    const { state, reason } = link.current();
    forward.state = FORWARD_STATE[state];
    forward.stateReason = reason;
    this.changed(e);
    return forward.info();
  }

  private accept(entry: Entry, sock: net.Socket): void {
    const { forward } = entry;
    sock.setNoDelay(true);
    forward.connections++;
    forward.openConnections++;
    entry.sockets.add(sock);
    this.statsChanged(entry);
    sock.on('error', () => sock.destroy());
    sock.once('close', () => {
      entry.sockets.delete(sock);
      forward.openConnections--;
      this.statsChanged(entry);
    });
    const link = this.links.get(forward.workspace);
    if (!link) {
      sock.destroy();
      return;
    }
    bridgeSocket(sock, link.forwardOut(sock.remotePort ?? 0, forward.remotePort), {
      onBytesIn: (n) => {
        forward.bytesIn += n;
        this.statsChanged(entry);
      },
      onBytesOut: (n) => {
        forward.bytesOut += n;
        this.statsChanged(entry);
      },
      onOpenError: (err) => {
        forward.lastError = toErrorInfo(err).message;
        this.changed(entry);
      },
    });
  }

  private linkFor(workspace: string): WorkspaceConnection {
    let link = this.links.get(workspace);
    if (!link) {
      link = new WorkspaceConnection({
        workspace,
        getTarget: this.opts.getTarget,
        onState: (state, reason) => this.linkState(workspace, state, reason),
        onRetryScheduled: (at) => this.opts.links?.retryAt(workspace, at),
        onRoundTrip: (ms) => this.opts.links?.roundTrip(workspace, ms),
        clock: this.clock,
        random: this.opts.random ?? Math.random,
        backoff: this.opts.backoff ?? {},
        waitMs: this.opts.connectWaitMs ?? 5_000,
        readyTimeoutMs: this.opts.readyTimeoutMs ?? 15_000,
        connect: this.opts.connect,
      });
      this.links.set(workspace, link);
      this.opts.links?.state(workspace, 'connecting', undefined);
      link.start();
    }
    return link;
  }

  private async releaseLink(workspace: string): Promise<void> {
    for (const e of this.entries.values()) if (e.forward.workspace === workspace) return;
    const link = this.links.get(workspace);
    if (!link) return;
    this.links.delete(workspace);
    this.opts.links?.closed(workspace);
    await link.dispose();
  }

  private linkState(workspace: string, state: LinkState, reason: string | undefined): void {
    this.opts.links?.state(workspace, state, reason);
    for (const e of this.entries.values()) {
      if (e.forward.workspace !== workspace) continue;
      e.forward.state = FORWARD_STATE[state];
      e.forward.stateReason = reason;
      if (state === 'connected') e.forward.lastError = undefined;
      this.changed(e);
    }
  }

  private statsChanged(entry: Entry): void {
    if (entry.cancelStats) return;
    entry.cancelStats = this.clock.setTimer(() => {
      entry.cancelStats = undefined;
      if (this.entries.get(entry.forward.key) === entry) this.changed(entry);
    }, this.opts.statsIntervalMs ?? 1_000);
  }

  private changed(entry: Entry): void {
    const event: ForwardEvent = { type: 'changed', forward: entry.forward.info() };
    for (const l of [...this.listeners]) l(event);
  }

  private emit(event: ForwardEvent): void {
    for (const l of [...this.listeners]) l(event);
  }
}

function stopped(): RuncodeError {
  return new RuncodeError('forward_stopped', 'the forward manager was stopped');
}

async function closeEntry(entry: Entry): Promise<void> {
  entry.cancelStats?.();
  for (const s of entry.sockets) s.destroy();
  await closeServer(entry.server);
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}
