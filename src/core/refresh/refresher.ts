// Keeps every connected workspace's pass fresh. One timer for the earliest deadline (not one per
// workspace), capped so that a sleep or a clock jump is noticed within `maxWaitMs`; renewals that
// come due together run as one batch with bounded concurrency, and `onBatch` (the config write)
// runs once per batch.
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { backoffDelay } from '../backoff.js';
import { toErrorInfo } from '../errors.js';

export interface PassTimes {
  issuedAt: number;
  expiresAt: number;
}

export interface RenewResult {
  name: string;
  ok: boolean;
  pass?: PassTimes;
  error?: { code: string; message: string };
  /** When the next attempt is due (wall clock). */
  nextAt: number;
}

export interface RefresherOptions {
  /** Renews one workspace's pass; resolves with the new pass times. */
  renew(name: string): Promise<PassTimes>;
  /** After each batch of renewals (one config write per batch). */
  onBatch?(results: RenewResult[]): Promise<void> | void;
  clock?: Clock;
  random?: () => number;
  /** Longest a timer sleeps, so sleep and clock jumps are noticed soon after. */
  maxWaitMs?: number;
  concurrency?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Longest wait between retries once a pass has expired (default 4 s). */
  expiredRetryMaxMs?: number;
}

interface Entry {
  pass: PassTimes;
  dueAt: number;
  failures: number;
  running: boolean;
}

/** Where in a pass's life it is renewed: around half-life, spread so passes issued together do not renew together. */
const RENEW_AT = { min: 0.45, spread: 0.1 };
/** A wall clock that moves this much more or less than the monotonic one has jumped. */
const JUMP_MS = 5_000;

export class Refresher {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock;
  private readonly random: () => number;
  private cancelTimer: (() => void) | undefined;
  private lastWall = 0;
  private lastMono = 0;
  private checking: Promise<void> | undefined;
  private again = false;
  private disposed = false;

  constructor(private readonly opts: RefresherOptions) {
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? Math.random;
  }

  /** Starts (or restarts) tracking a workspace whose pass has these times. */
  track(name: string, pass: PassTimes): void {
    this.entries.set(name, { pass, dueAt: this.dueAt(pass), failures: 0, running: false });
    this.schedule();
  }

  untrack(name: string): void {
    this.entries.delete(name);
    this.schedule();
  }

  tracked(): string[] {
    return [...this.entries.keys()];
  }

  /** When each tracked workspace is next renewed (wall clock). */
  deadlines(): Map<string, number> {
    return new Map([...this.entries].map(([n, e]) => [n, e.dueAt]));
  }

  /** Renew whatever is due now: on resume, unlock, network back, or a detected clock jump. */
  checkNow(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    this.checking = this.runDue().finally(() => {
      this.checking = undefined;
      if (this.again) {
        this.again = false;
        void this.checkNow();
      } else this.schedule();
    });
    return this.checking;
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.entries.clear();
  }

  private dueAt(pass: PassTimes): number {
    const life = Math.max(0, pass.expiresAt - pass.issuedAt);
    return pass.issuedAt + life * (RENEW_AT.min + RENEW_AT.spread * this.random());
  }

  private backoff(failures: number, pass: PassTimes): number {
    const now = this.clock.now();
    const left = pass.expiresAt - now;
    const baseMs = this.opts.backoffBaseMs ?? 2_000;
    // Before expiry, back off up to a minute but keep a retry in front of it. After, ssh is down
    // until a renewal succeeds: retry every few seconds (jittered), so the outage ends soon after
    // the server is back, not up to a whole backoff step later.
    if (left > 2_000) {
      const delay = backoffDelay(
        failures - 1,
        { baseMs, maxMs: this.opts.backoffMaxMs ?? 60_000 },
        this.random,
      );
      return now + Math.min(delay, left / 2);
    }
    return (
      now + backoffDelay(failures - 1, { baseMs, maxMs: this.opts.expiredRetryMaxMs ?? 4_000 }, this.random)
    );
  }

  /**
   * Retry every failing renewal now (the event stream reconnected, the network came back): the
   * server answers again, so waiting out the backoff would only prolong an outage.
   */
  retryFailedNow(): Promise<void> {
    const now = this.clock.now();
    for (const e of this.entries.values()) if (e.failures > 0 && !e.running) e.dueAt = now;
    return this.checkNow();
  }

  private schedule(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.disposed || this.entries.size === 0 || this.checking) return;
    const now = this.clock.now();
    this.lastWall = now;
    this.lastMono = this.clock.monotonic();
    let next = Infinity;
    for (const e of this.entries.values()) next = Math.min(next, e.dueAt);
    const maxWait = this.opts.maxWaitMs ?? 30_000;
    const wait = Math.max(0, Math.min(next - now, maxWait));
    this.cancelTimer = this.clock.setTimer(() => this.onTimer(), wait);
  }

  private onTimer(): void {
    this.cancelTimer = undefined;
    const wall = this.clock.now() - this.lastWall;
    const mono = this.clock.monotonic() - this.lastMono;
    // A jump either way means deadlines computed before it may be off: look at all of them now.
    if (Math.abs(wall - mono) > JUMP_MS || this.hasDue()) void this.checkNow();
    else this.schedule();
  }

  private hasDue(): boolean {
    const now = this.clock.now();
    for (const e of this.entries.values()) if (!e.running && e.dueAt <= now) return true;
    return false;
  }

  private async runDue(): Promise<void> {
    const now = this.clock.now();
    const due = [...this.entries].filter(([, e]) => !e.running && e.dueAt <= now).map(([n]) => n);
    if (due.length === 0) return;
    const results: RenewResult[] = [];
    const queue = [...due];
    const worker = async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        results.push(await this.renewOne(name));
      }
    };
    const n = Math.max(1, Math.min(this.opts.concurrency ?? 4, queue.length));
    await Promise.all(Array.from({ length: n }, worker));
    if (this.opts.onBatch && !this.disposed) await this.opts.onBatch(results);
  }

  private async renewOne(name: string): Promise<RenewResult> {
    const entry = this.entries.get(name);
    if (!entry)
      return { name, ok: false, error: { code: 'untracked', message: 'no longer connected' }, nextAt: 0 };
    entry.running = true;
    try {
      const pass = await this.opts.renew(name);
      const current = this.entries.get(name);
      if (current === entry) {
        entry.pass = pass;
        entry.failures = 0;
        entry.dueAt = this.dueAt(pass);
      }
      return { name, ok: true, pass, nextAt: entry.dueAt };
    } catch (e) {
      entry.failures++;
      entry.dueAt = this.backoff(entry.failures, entry.pass);
      return { name, ok: false, error: toErrorInfo(e), nextAt: entry.dueAt };
    } finally {
      entry.running = false;
    }
  }
}
