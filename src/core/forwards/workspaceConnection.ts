// The one ssh2 connection a workspace's forwards share. It reconnects by itself with jittered
// backoff (network loss, a gateway restart), asks for the target afresh on every attempt (so a
// refreshed pass is used), and on `reconnectNow()` (wake from sleep) makes a new connection
// before dropping the old one: channels already open on the old connection run to their end.
import type { Client, ClientChannel } from 'ssh2';
import type { Clock } from '../clock.js';
import { RuncodeError, toErrorInfo } from '../errors.js';
import { connectSsh } from '../ssh/sshConnection.js';
import type { ConnectOptions } from '../ssh/sshConnection.js';
import type { SshTarget } from '../ssh/sshTarget.js';
import { backoffDelay } from '../backoff.js';
import type { BackoffOptions } from '../backoff.js';
import { ClientChannels, endClient } from './clientChannels.js';
import type { LinkHealth, LinkKeepalive } from './linkKeepalive.js';

export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'failed';

export type ConnectFn = (target: SshTarget, opts: ConnectOptions) => Promise<Client>;

export interface WorkspaceConnectionOptions {
  workspace: string;
  getTarget(workspace: string): Promise<SshTarget>;
  onState(state: LinkState, reason: string | undefined): void;
  clock: Clock;
  random: () => number;
  backoff: BackoffOptions;
  /** How long a new forwarded connection waits for the SSH connection to come back. */
  waitMs: number;
  readyTimeoutMs: number;
  connect?: ConnectFn;
  /** Health hooks (the tray's link view): when the next attempt is due, and a channel open's round trip. */
  onRetryScheduled?(atMs: number): void;
  onRoundTrip?(ms: number): void;
  /** The keepalive shared by all connections; without it, ssh2's own (one timer per connection). */
  keepalive?: LinkKeepalive;
  /**
   * A connection that carries no channel for this long is closed, and the next local connection
   * opens a new one (a handshake before its first byte). Default 5 minutes; 0 keeps it open.
   */
  idleCloseMs?: number;
}

/** Failures that retrying soon will not fix by itself: shown as `failed` (we still retry on backoff). */
const LASTING = new Set(['host_key_mismatch', 'host_key_missing', 'host_key_invalid', 'auth_refused']);
/** A new local connection may trigger an early attempt, but not more often than this. */
const MIN_ATTEMPT_GAP_MS = 1_000;
const IDLE_CLOSE_MS = 5 * 60_000;

interface Waiter {
  resolve(c: Client): void;
  reject(e: unknown): void;
  cancel: () => void;
}

export class WorkspaceConnection {
  private client: Client | undefined;
  private state: LinkState = 'connecting';
  private reason: string | undefined;
  private failures = 0;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private cancelRetry: (() => void) | undefined;
  private attempting: AbortController | undefined;
  private readonly waiters = new Set<Waiter>();
  /** An old client is ended once its last channel closes. */
  private readonly channels = new ClientChannels((client) => this.idleWatch(client));
  /** Closes the current connection once it has carried no channel for idleCloseMs. */
  private cancelIdle: (() => void) | undefined;
  /** Why the last connection ended, as the gateway or the socket said it. */
  private dropReason: string | undefined;
  private disposed = false;

  constructor(private readonly opts: WorkspaceConnectionOptions) {}

  start(): void {
    this.attempt();
  }

  current(): { state: LinkState; reason: string | undefined } {
    return { state: this.state, reason: this.reason };
  }

  /** Round trip of the last keepalive on the live connection (with a shared keepalive). */
  health(): LinkHealth | undefined {
    return this.client ? this.opts.keepalive?.health(this.client) : undefined;
  }

  /** After a wake or a network change: try now, and replace a live connection that may be stale. */
  reconnectNow(): void {
    if (this.disposed) return;
    this.failures = 0;
    this.attempt();
  }

  /** Opens a direct-tcpip channel to 127.0.0.1:remotePort in the workspace. */
  async forwardOut(srcPort: number, remotePort: number): Promise<ClientChannel> {
    const client = await this.ready();
    this.stopIdleWatch();
    const release = this.channels.hold(client);
    const sent = this.opts.clock.monotonic();
    return new Promise<ClientChannel>((resolve, reject) => {
      client.forwardOut('127.0.0.1', srcPort, '127.0.0.1', remotePort, (err, channel) => {
        // Open request -> answer: one SSH round trip on traffic that happens anyway (no pings when idle).
        this.opts.onRoundTrip?.(this.opts.clock.monotonic() - sent);
        if (err) {
          release();
          reject(
            new RuncodeError(
              'forward_refused',
              `the workspace did not accept a connection to its port ${remotePort}: ${err.message.replace(/^\(SSH\) /, '')}`,
              { cause: err },
            ),
          );
          return;
        }
        channel.once('close', release);
        resolve(channel);
      });
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.stopIdleWatch();
    this.cancelRetry?.();
    this.attempting?.abort();
    const gone = new RuncodeError('forward_stopped', 'the forward was stopped');
    for (const w of [...this.waiters]) {
      w.cancel();
      w.reject(gone);
    }
    const clients = [...this.channels.takeRetiring(), ...(this.client ? [this.client] : [])];
    this.client = undefined;
    await Promise.all(clients.map(endClient));
  }

  private ready(): Promise<Client> {
    if (this.disposed) return Promise.reject(new RuncodeError('forward_stopped', 'the forward was stopped'));
    if (this.client) return Promise.resolve(this.client);
    // Someone is waiting: retry early rather than on the backoff timer.
    if (this.opts.clock.monotonic() - this.lastAttemptAt >= MIN_ATTEMPT_GAP_MS) this.attempt();
    return new Promise<Client>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        cancel: this.opts.clock.setTimer(() => {
          this.waiters.delete(waiter);
          reject(
            new RuncodeError(
              'forward_unavailable',
              `the connection to ${this.opts.workspace} is not back yet${this.reason ? ` (${this.reason})` : ''}`,
            ),
          );
        }, this.opts.waitMs),
      };
      this.waiters.add(waiter);
    });
  }

  private attempt(): void {
    if (this.disposed || this.attempting) return;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.lastAttemptAt = this.opts.clock.monotonic();
    const abort = new AbortController();
    this.attempting = abort;
    const connect = this.opts.connect ?? connectSsh;
    void (async () => {
      try {
        const target = await this.targetWithin(this.opts.readyTimeoutMs);
        abort.signal.throwIfAborted();
        const client = await connect(target, {
          readyTimeoutMs: this.opts.readyTimeoutMs,
          signal: abort.signal,
          ...(this.opts.keepalive ? { keepaliveIntervalMs: 0 } : {}),
        });
        this.attempting = undefined;
        if (this.disposed) void endClient(client);
        else this.adopt(client);
      } catch (e) {
        this.attempting = undefined;
        if (!this.disposed) this.attemptFailed(e);
      }
    })();
  }

  /** getTarget may ask the control plane for a pass: bounded, so a hung request cannot stall reconnects. */
  private targetWithin(ms: number): Promise<SshTarget> {
    return new Promise<SshTarget>((resolve, reject) => {
      const cancel = this.opts.clock.setTimer(
        () => reject(new RuncodeError('timeout', `getting a pass for ${this.opts.workspace} took too long`)),
        ms,
      );
      this.opts.getTarget(this.opts.workspace).then(
        (t) => {
          cancel();
          resolve(t);
        },
        (e: unknown) => {
          cancel();
          reject(e);
        },
      );
    });
  }

  private adopt(client: Client): void {
    const old = this.client;
    this.client = client;
    this.failures = 0;
    this.dropReason = undefined;
    let lastError: string | undefined;
    client.on('error', (err: Error) => {
      lastError = err.message;
    });
    // A gateway that stops answering (frozen, a network that drops packets silently) is noticed
    // by the shared keepalive: the connection is dropped with that reason, and reconnects.
    const unwatch = this.opts.keepalive?.watch(
      client,
      (reason) => {
        lastError = reason;
        client.destroy();
      },
      // Each answered ping is a round trip on the link, for its health view.
      (ms) => this.opts.onRoundTrip?.(ms),
    );
    client.on('close', () => {
      unwatch?.();
      this.closed(client, lastError);
    });
    if (old) this.channels.retire(old);
    this.idleWatch(client);
    this.setState('connected', undefined);
    for (const w of [...this.waiters]) {
      w.cancel();
      w.resolve(client);
    }
    this.waiters.clear();
  }

  private closed(client: Client, lastError: string | undefined): void {
    this.channels.forget(client);
    if (client !== this.client || this.disposed) return;
    this.stopIdleWatch();
    this.client = undefined;
    this.dropReason = lastError
      ? `the gateway connection ended: ${lastError}`
      : 'the gateway closed the connection';
    this.setState('reconnecting', this.dropReason);
    this.scheduleRetry();
  }

  private attemptFailed(e: unknown): void {
    // A make-before-break attempt failed while the old connection still works: keep it.
    if (this.client) return;
    this.failures++;
    const info = toErrorInfo(e);
    const fromGateway =
      e instanceof RuncodeError && ['unreachable', 'timeout', 'ssh_failed'].includes(info.code);
    const lasting = LASTING.has(info.code) || !fromGateway;
    // "Refused the key" right after the gateway dropped us: the drop says why (workspace stopped).
    const reason =
      info.code === 'auth_refused' && this.dropReason ? `${this.dropReason}; ${info.message}` : info.message;
    this.setState(lasting ? 'failed' : 'reconnecting', reason);
    for (const w of [...this.waiters]) {
      w.cancel();
      w.reject(e);
    }
    this.waiters.clear();
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.disposed || this.attempting || this.cancelRetry) return;
    const delay = backoffDelay(Math.max(0, this.failures - 1), this.opts.backoff, this.opts.random);
    this.opts.onRetryScheduled?.(this.opts.clock.now() + delay);
    this.cancelRetry = this.opts.clock.setTimer(() => {
      this.cancelRetry = undefined;
      this.attempt();
    }, delay);
  }

  /**
   * The current connection carries no channel: it is closed after idleCloseMs unless one opens.
   * That is not a drop: the state stays (the forwards still work), nothing retries, and the next
   * forwardOut connects again through ready().
   */
  private idleWatch(client: Client): void {
    const ms = this.opts.idleCloseMs ?? IDLE_CLOSE_MS;
    if (ms <= 0 || client !== this.client || this.channels.count(client) > 0) return;
    this.stopIdleWatch();
    this.cancelIdle = this.opts.clock.setTimer(() => {
      this.cancelIdle = undefined;
      if (client !== this.client || this.channels.count(client) > 0 || this.disposed) return;
      this.client = undefined;
      void endClient(client);
    }, ms);
  }

  private stopIdleWatch(): void {
    this.cancelIdle?.();
    this.cancelIdle = undefined;
  }

  private setState(state: LinkState, reason: string | undefined): void {
    if (state === this.state && reason === this.reason) return;
    this.state = state;
    this.reason = reason;
    this.opts.onState(state, reason);
  }
}
