// When to look for an update, fetch it and offer "Restart to update", electron-free: main gives it
// an UpdateBackend (electron-updater), tests a fake. Checks on start and every few hours, downloads
// in the background, says once when one is ready, and never nags about a failed background check
// (a laptop offline is not news); a check the user asked for reports its failure.
import type { Clock } from '../clock.js';
import { toErrorInfo } from '../errors.js';

export interface UpdateBackend {
  /** The newer version on offer, or undefined when this one is current. */
  check(): Promise<{ version: string } | undefined>;
  /** Fetches (and verifies) the offered version. */
  download(): Promise<void>;
  /** Quits and installs the downloaded version. */
  install(): void;
}

export type UpdateState =
  | { kind: 'disabled' }
  | { kind: 'idle'; checkedAt?: number }
  | { kind: 'checking' }
  | { kind: 'downloading'; version: string }
  | { kind: 'ready'; version: string }
  | { kind: 'failed'; message: string; at: number };

export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;
/** The first check waits a little: start-up has better things to do. */
export const UPDATE_FIRST_CHECK_MS = 30_000;

export interface UpdaterOptions {
  backend: UpdateBackend;
  clock: Clock;
  /** The Settings switch ("Check for updates automatically"). */
  enabled(): Promise<boolean>;
  onState?(s: UpdateState): void;
  /** Said once per version: "RunCode Tray X is ready: restart to update". */
  notify?(message: string): void;
  intervalMs?: number;
  firstCheckMs?: number;
}

export class Updater {
  private s: UpdateState = { kind: 'idle' };
  private cancelTimer: (() => void) | undefined;
  private busy: Promise<UpdateState> | undefined;
  private told = new Set<string>();
  private disposed = false;

  constructor(private readonly o: UpdaterOptions) {}

  get state(): UpdateState {
    return this.s;
  }

  /** Starts the schedule (or records that updates are off). */
  async start(): Promise<void> {
    await this.applyEnabled(this.o.firstCheckMs ?? UPDATE_FIRST_CHECK_MS);
  }

  /** The Settings switch changed. */
  async settingsChanged(): Promise<void> {
    await this.applyEnabled(0);
  }

  /**
   * Checks now (the user asked): downloads what it finds; a failure comes back as the `failed`
   * state with its message (and is not thrown).
   */
  checkNow(): Promise<UpdateState> {
    return this.run(true);
  }

  /** "Restart to update": installs only a downloaded version; false when there is none. */
  restartToUpdate(): boolean {
    if (this.s.kind !== 'ready') return false;
    this.o.backend.install();
    return true;
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer?.();
  }

  private async applyEnabled(firstInMs: number): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (!(await this.o.enabled())) {
      // A downloaded update stays offered: turning checks off does not take it back.
      if (this.s.kind !== 'ready') this.set({ kind: 'disabled' });
      return;
    }
    if (this.s.kind === 'disabled') this.set({ kind: 'idle' });
    this.schedule(firstInMs);
  }

  private schedule(ms: number): void {
    if (this.disposed) return;
    this.cancelTimer?.();
    this.cancelTimer = this.o.clock.setTimer(() => {
      this.cancelTimer = undefined;
      void this.run(false).finally(() => this.schedule(this.o.intervalMs ?? UPDATE_CHECK_INTERVAL_MS));
    }, ms);
  }

  private run(asked: boolean): Promise<UpdateState> {
    if (this.busy) return this.busy;
    this.busy = this.checkAndDownload(asked).finally(() => (this.busy = undefined));
    return this.busy;
  }

  private async checkAndDownload(asked: boolean): Promise<UpdateState> {
    // Already downloaded: nothing to do until the user restarts.
    if (this.s.kind === 'ready') return this.s;
    if (!asked && !(await this.o.enabled())) {
      this.set({ kind: 'disabled' });
      return this.s;
    }
    this.set({ kind: 'checking' });
    let offer: { version: string } | undefined;
    try {
      offer = await this.o.backend.check();
    } catch (e) {
      return this.failed(`Could not check for updates: ${toErrorInfo(e).message}`, asked);
    }
    if (!offer) {
      this.set({ kind: 'idle', checkedAt: this.o.clock.now() });
      return this.s;
    }
    this.set({ kind: 'downloading', version: offer.version });
    try {
      await this.o.backend.download();
    } catch (e) {
      return this.failed(
        `Could not download RunCode Tray ${offer.version}: ${toErrorInfo(e).message}`,
        asked,
      );
    }
    this.set({ kind: 'ready', version: offer.version });
    if (!this.told.has(offer.version)) {
      this.told.add(offer.version);
      this.o.notify?.(`RunCode Tray ${offer.version} is ready: restart to update.`);
    }
    return this.s;
  }

  private failed(message: string, asked: boolean): UpdateState {
    this.set({ kind: 'failed', message, at: this.o.clock.now() });
    // A background failure is kept for Settings to show, not announced; the next round retries.
    if (asked) this.o.notify?.(message);
    return this.s;
  }

  private set(s: UpdateState): void {
    this.s = s;
    this.o.onState?.(s);
  }
}
