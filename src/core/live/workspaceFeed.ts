// The current Workspace[] as the server sees it, kept live from GET /api/v1/events.
//
// Seeded by a list call; then each `workspace` event (validated like any answer) replaces its
// workspace. When the stream drops, it reconnects with jittered exponential backoff and resumes
// from Last-Event-ID (the SseClient remembers it), and until it is back the list is polled every
// 30 s so the picture never goes stale. `mode` says which of the two is feeding the picture
// ('offline' when neither works). While streaming the feed holds no timer at all; otherwise one,
// set for whichever comes first of the next reconnect and the next poll.
import { backoffDelay } from '../backoff.js';
import type { Workspace } from '../../shared/protocol.js';
import type { TokenSource } from '../api/apiClient.js';
import { parseWorkspace } from '../api/schemas.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { Emitter } from '../emitter.js';
import { RuncodeError, toErrorInfo } from '../errors.js';
import type { SseEvent } from './sseParser.js';
import type { SseConnection } from './sseClient.js';
import { SseClient } from './sseClient.js';
import { WorkspacePicture } from './workspacePicture.js';

export type FeedMode = 'stream' | 'polling' | 'offline';

export interface FeedSnapshot {
  workspaces: readonly Workspace[];
  mode: FeedMode;
  /** Why the stream (or the list) is not working, or the last refused event. */
  error: { code: string; message: string } | undefined;
}

export interface WorkspaceFeedOptions {
  /** The list call (ApiClient.listWorkspaces): the seed, and the fallback while the stream is down. */
  listWorkspaces: () => Promise<Workspace[]>;
  /** Where the event stream is: the control-plane endpoint, its extra CA, the token. */
  stream: { endpoint: string; ca?: string; caFile?: string; token?: TokenSource; path?: string };
  clock?: Clock;
  /** [0, 1), for the backoff jitter. */
  random?: () => number;
  /** Default 30 000. */
  pollIntervalMs?: number;
  /** First reconnect delay (or the server's `retry:` when larger). Default 1 000. */
  backoffInitialMs?: number;
  /** Default 60 000. */
  backoffMaxMs?: number;
  /** Silence that counts as a dead stream. Default 45 000. */
  idleTimeoutMs?: number;
  /**
   * Each heartbeat (a `:` comment) the server sends on the stream: a clock others can ride
   * (the forwards' shared SSH keepalive), so an idle tray adds no timer of its own.
   */
  onHeartbeat?: () => void;
  /** Validates one event's data; default the protocol schema's parseWorkspace. */
  parseWorkspace?: (json: unknown) => Workspace;
}

/** A stream that stayed up this long was healthy: its loss starts the backoff from the bottom. */
const STABLE_MS = 30_000;

export class WorkspaceFeed {
  private readonly sse: SseClient;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly pollIntervalMs: number;
  private readonly backoffInitialMs: number;
  private readonly backoffMaxMs: number;
  private readonly parse: (json: unknown) => Workspace;
  private readonly listeners = new Emitter<[FeedSnapshot]>();
  private readonly picture = new WorkspacePicture();
  private currentMode: FeedMode = 'offline';
  private lastError: RuncodeError | undefined;
  private conn: SseConnection | undefined;
  private streamOpen = false;
  private openedAt = 0;
  private attempt = 0;
  private reconnectAt: number | undefined;
  private pollAt: number | undefined;
  private polling: Promise<void> | undefined;
  private cancelTimer: (() => void) | undefined;
  private started = false;
  private emitted: FeedSnapshot | undefined;
  private disposed = false;

  constructor(private readonly opts: WorkspaceFeedOptions) {
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? Math.random;
    this.pollIntervalMs = opts.pollIntervalMs ?? 30_000;
    this.backoffInitialMs = opts.backoffInitialMs ?? 1_000;
    this.backoffMaxMs = opts.backoffMaxMs ?? 60_000;
    this.parse = opts.parseWorkspace ?? parseWorkspace;
    this.sse = new SseClient({
      endpoint: opts.stream.endpoint,
      path: opts.stream.path ?? '/api/v1/events',
      ca: opts.stream.ca,
      caFile: opts.stream.caFile,
      token: opts.stream.token,
      clock: this.clock,
      idleTimeoutMs: opts.idleTimeoutMs,
    });
  }

  get workspaces(): readonly Workspace[] {
    return this.picture.list;
  }

  get mode(): FeedMode {
    return this.currentMode;
  }

  get error(): FeedSnapshot['error'] {
    return this.lastError ? toErrorInfo(this.lastError) : undefined;
  }

  /** Wall-clock time of the next stream attempt while it is down (for "next try in ..."). */
  get nextRetryAt(): number | undefined {
    if (this.conn || this.reconnectAt === undefined) return undefined;
    return this.clock.now() + Math.max(0, this.reconnectAt - this.clock.monotonic());
  }

  get snapshot(): FeedSnapshot {
    return { workspaces: this.picture.list, mode: this.currentMode, error: this.error };
  }

  get(id: string): Workspace | undefined {
    return this.picture.get(id);
  }

  byName(name: string): Workspace | undefined {
    return this.picture.byName(name);
  }

  /** Calls `listener` after every change (workspaces, mode or error); returns the unsubscribe. */
  subscribe(listener: (s: FeedSnapshot) => void): () => void {
    return this.listeners.subscribe(listener);
  }

  /** Opens the stream and seeds by a list call; resolves once the seed is in (or has failed). */
  async start(): Promise<void> {
    if (this.started || this.disposed) return this.polling;
    this.started = true;
    this.connect();
    await this.poll();
  }

  /** Resume from sleep, network back: drop whatever socket we hold, reconnect and re-list now. */
  reconnectNow(): void {
    if (!this.started || this.disposed) return;
    this.attempt = 0;
    this.conn?.close();
    this.streamOpen = false;
    this.connect();
    void this.poll();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.conn?.close();
    this.conn = undefined;
    this.sse.dispose();
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.listeners.clear();
  }

  private connect(): void {
    this.reconnectAt = undefined;
    this.conn = this.sse.connect({
      onOpen: () => {
        this.streamOpen = true;
        this.openedAt = this.clock.monotonic();
        this.pollAt = undefined;
        this.lastError = undefined;
        this.currentMode = 'stream';
        this.schedule();
        this.emit();
      },
      onEvent: (ev) => this.onEvent(ev),
      onComment: () => this.opts.onHeartbeat?.(),
      onClose: (reason) => this.onStreamClosed(reason),
    });
    this.schedule();
  }

  private onStreamClosed(reason: RuncodeError): void {
    if (this.disposed) return;
    const wasOpen = this.streamOpen;
    this.conn = undefined;
    this.streamOpen = false;
    if (wasOpen && this.clock.monotonic() - this.openedAt >= STABLE_MS) this.attempt = 0;
    this.lastError = reason;
    this.reconnectAt = this.clock.monotonic() + this.backoffDelay(this.attempt++);
    // Losing a live stream: list at once, to catch up and to learn whether polling still works.
    if (wasOpen) void this.poll();
    this.schedule();
    this.emit();
  }

  private backoffDelay(attempt: number): number {
    const base = Math.max(this.backoffInitialMs, this.sse.retryMs ?? 0);
    return backoffDelay(attempt, { baseMs: base, maxMs: this.backoffMaxMs }, this.random);
  }

  private onEvent(ev: SseEvent): void {
    if (ev.type !== 'workspace') return;
    let ws: Workspace;
    try {
      ws = this.parse(JSON.parse(ev.data));
    } catch (e) {
      // Refused, not applied: one bad event must not corrupt the picture or end the stream.
      this.lastError =
        e instanceof RuncodeError
          ? e
          : new RuncodeError('bad_response', 'the server sent an event that is not JSON');
      this.emit();
      return;
    }
    if (this.picture.apply(ws)) this.emit();
  }

  private poll(): Promise<void> {
    if (this.polling) return this.polling;
    this.pollAt = undefined;
    const run = async () => {
      let ok = false;
      try {
        const list = await this.opts.listWorkspaces();
        if (this.disposed) return;
        this.picture.replaceAll(list);
        ok = true;
      } catch (e) {
        if (this.disposed) return;
        if (!this.streamOpen)
          this.lastError = e instanceof RuncodeError ? e : new RuncodeError('internal', String(e));
      } finally {
        this.polling = undefined;
      }
      if (!this.streamOpen) {
        this.currentMode = ok ? 'polling' : 'offline';
        this.pollAt = this.clock.monotonic() + this.pollIntervalMs;
      }
      this.schedule();
      this.emit();
    };
    this.polling = run();
    return this.polling;
  }

  private schedule(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.disposed || !this.started) return;
    const due: number[] = [];
    if (!this.conn && this.reconnectAt !== undefined) due.push(this.reconnectAt);
    if (!this.streamOpen && !this.polling && this.pollAt !== undefined) due.push(this.pollAt);
    if (due.length === 0) return;
    const at = Math.min(...due);
    this.cancelTimer = this.clock.setTimer(() => this.wake(), Math.max(0, at - this.clock.monotonic()));
  }

  private wake(): void {
    this.cancelTimer = undefined;
    if (this.disposed) return;
    // A timer may fire a hair early by the monotonic clock's reckoning.
    const now = this.clock.monotonic() + 5;
    if (!this.conn && this.reconnectAt !== undefined && this.reconnectAt <= now) this.connect();
    if (!this.streamOpen && !this.polling && this.pollAt !== undefined && this.pollAt <= now)
      void this.poll();
    this.schedule();
  }

  private emit(): void {
    if (this.disposed) return;
    const snap = this.snapshot;
    const last = this.emitted;
    if (
      last &&
      last.workspaces === snap.workspaces &&
      last.mode === snap.mode &&
      last.error?.message === snap.error?.message
    ) {
      return;
    }
    this.emitted = snap;
    // A listener's bug must not end the stream (its exception would surface as a bad event): the
    // emitter keeps it to the listener.
    this.listeners.emit(snap);
  }
}
