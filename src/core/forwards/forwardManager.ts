// Port forwards for all workspaces: loopback listeners (forwardListener.ts) whose connections ride
// one shared SSH connection per workspace (opened with the first forward, closed with the last).
// Listeners stay open while the connection is re-established, so a browser tab keeps its URL.
//
// Persistence stays with the caller: `wanted()` is what to store (say, in settings) and
// `restore(list)` brings it back after a restart.
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { Emitter } from '../emitter.js';
import { RuncodeError, toErrorInfo } from '../errors.js';
import type { SshTarget } from '../ssh/sshTarget.js';
import type { BackoffOptions } from '../backoff.js';
import { forwardKey, notListening } from './forward.js';
import type { Forward, ForwardInfo, ForwardState, WantedForward } from './forward.js';
import { ForwardListener } from './forwardListener.js';
import type { ForwardListenerOptions } from './forwardListener.js';
import { KEEPALIVE_TICK_MS, LinkKeepalive } from './linkKeepalive.js';
import type { LinkHealth } from './linkKeepalive.js';
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
  /**
   * The shared keepalive's interval when nothing calls keepaliveTick() (the CLI); a connection
   * that misses one reply is dropped and reconnected. Default 15 s, the server's SSE heartbeat.
   */
  keepaliveMs?: number;
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

const FORWARD_STATE: Record<LinkState, ForwardState> = {
  connecting: 'starting',
  connected: 'active',
  reconnecting: 'reconnecting',
  failed: 'failed',
};

export class ForwardManager {
  private readonly entries = new Map<string, ForwardListener>();
  private readonly adding = new Map<string, Promise<ForwardInfo>>();
  private readonly links = new Map<string, WorkspaceConnection>();
  private readonly events = new Emitter<[ForwardEvent]>();
  private readonly clock: Clock;
  private readonly keepalive: LinkKeepalive;
  private readonly listening: ForwardListenerOptions;
  private disposed = false;

  constructor(private readonly opts: ForwardManagerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.keepalive = new LinkKeepalive(this.clock, opts.keepaliveMs ?? KEEPALIVE_TICK_MS);
    this.listening = {
      clock: this.clock,
      statsIntervalMs: opts.statsIntervalMs ?? 1_000,
      hooks: {
        link: (workspace) => this.links.get(workspace),
        changed: (l) => this.changed(l),
        counted: (l) => {
          if (this.entries.get(l.forward.key) === l) this.changed(l);
        },
        reachable: (l, why) => this.markUnreachable(l, why),
      },
    };
  }

  /**
   * Drives the shared SSH keepalive (call it on each SSE heartbeat): every connection must have
   * answered the previous tick's ping. Between calls its own timer stays quiet.
   */
  keepaliveTick(): void {
    this.keepalive.tick();
  }

  /** The keepalive round trip on a workspace's SSH connection (link health), when connected. */
  linkHealth(workspace: string): LinkHealth | undefined {
    return this.links.get(workspace)?.health();
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
    await entry.close();
    this.events.emit({ type: 'removed', workspace, remotePort });
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
    return this.events.subscribe(listener);
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
    await Promise.all(entries.map((e) => e.close()));
    const links = [...this.links.values()];
    this.links.clear();
    await Promise.all(links.map((l) => l.dispose()));
    this.keepalive.dispose();
    this.events.clear();
  }

  private async create(wanted: WantedForward): Promise<ForwardInfo> {
    const e = await ForwardListener.open(wanted, this.listening);
    if (this.disposed) {
      await e.close();
      throw stopped();
    }
    this.entries.set(e.forward.key, e);
    const link = this.linkFor(wanted.workspace);
    const { state, reason } = link.current();
    // Connected already: find out whether anything listens before calling it active.
    if (state === 'connected') await this.probe(e, link);
    this.setLinkState(e.forward, state, reason);
    this.changed(e);
    return e.forward.info();
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
        keepalive: this.keepalive,
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
      if (state === 'connected') {
        e.forward.lastError = undefined;
        const link = this.links.get(workspace);
        // Active once we know something listens; a probe that finds nothing says so instead.
        if (link)
          void this.probe(e, link).then(() => {
            if (this.entries.get(e.forward.key) !== e) return;
            this.setLinkState(e.forward, link.current().state, link.current().reason);
            this.changed(e);
          });
        continue;
      }
      this.setLinkState(e.forward, state, reason);
      this.changed(e);
    }
  }

  private setLinkState(forward: Forward, state: LinkState, reason: string | undefined): void {
    if (state === 'connected' && forward.unreachable !== undefined) {
      forward.state = 'failed';
      forward.stateReason = forward.unreachable;
      return;
    }
    forward.state = FORWARD_STATE[state];
    forward.stateReason = reason;
  }

  /** Opens and closes one channel to the remote port: does anything listen there? */
  private async probe(entry: ForwardListener, link: WorkspaceConnection): Promise<void> {
    const { forward } = entry;
    try {
      const ch = await link.forwardOut(0, forward.remotePort);
      ch.close();
      forward.unreachable = undefined;
    } catch (e) {
      // Only a refusal says "nothing listens"; a lost connection is the link's to report.
      if (toErrorInfo(e).code === 'forward_refused') forward.unreachable = notListening(forward);
    }
  }

  private markUnreachable(entry: ForwardListener, why: string | undefined): void {
    const { forward } = entry;
    forward.unreachable = why;
    const link = this.links.get(forward.workspace);
    if (!link) return;
    const { state, reason } = link.current();
    this.setLinkState(forward, state, reason);
    this.changed(entry);
  }

  private changed(entry: ForwardListener): void {
    this.events.emit({ type: 'changed', forward: entry.forward.info() });
  }
}

function stopped(): RuncodeError {
  return new RuncodeError('forward_stopped', 'the forward manager was stopped');
}
