// After our rename replaced the user's ~/.ssh/config, an appender (`cat >> ~/.ssh/config`) that
// opened the old file just before it writes into the old one, not into ours, as late as its
// scheduler lets it (tens of ms on a loaded machine). The watch reads the old file on from where
// our last read of it ended and hands what came to the new file, until both: the old file stayed
// quiet for LATE_APPEND_WATCH_MS, and the caller called handOn() (it is read once more then). It
// starts at the rename and runs while `ssh -G` judges the write (the two used to take their
// turns, ~30 ms more per write): what it sees meanwhile is held back until handOn(), so a restore
// after a failed check still compares against exactly what we wrote.
import type { FileHandle } from 'node:fs/promises';
import fs from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

export const LATE_APPEND_WATCH_MS = 30;

export class LateAppendWatch {
  private held = '';
  private handing = false;
  private wake: (() => void) | undefined;
  private appended: Promise<void> = Promise.resolve();
  private error: unknown;
  private readonly quiet: Promise<void>;

  /** Starts watching `old` (the replaced file, still open) for bytes meant for `real`. */
  constructor(
    private readonly real: string,
    private readonly old: FileHandle,
  ) {
    this.quiet = this.watch().catch((e: unknown) => {
      this.error ??= e;
    });
  }

  /**
   * Appends `first` (late bytes already known), then what came while held back, then hands on
   * what still comes; resolves once the old file stayed quiet and everything is appended.
   */
  async handOn(first = ''): Promise<void> {
    this.handing = true;
    const held = first + this.held;
    this.held = '';
    if (held) this.append(held);
    this.wake?.(); // read once more now, not at the end of the current window
    await this.quiet;
    await this.appended;
    if (this.error !== undefined) throw this.error;
  }

  private async watch(): Promise<void> {
    let lastBytes = performance.now();
    let wait = LATE_APPEND_WATCH_MS;
    for (let round = 0; round < 100; round++) {
      await this.window(wait);
      const before = performance.now();
      const late = await this.old.readFile({ encoding: 'latin1' });
      wait = LATE_APPEND_WATCH_MS;
      if (late) {
        lastBytes = performance.now();
        if (this.handing) this.append(late);
        else this.held += late;
      } else if (this.handing) {
        const quietFor = before - lastBytes;
        if (quietFor >= LATE_APPEND_WATCH_MS) return;
        wait = Math.max(1, LATE_APPEND_WATCH_MS - quietFor); // the rest of the window
      }
    }
  }

  /** `ms`, or less when handOn() is called meanwhile. */
  private window(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  /** In order: each append waits for the one before. */
  private append(bytes: string): void {
    this.appended = this.appended
      .then(() => fs.appendFile(this.real, bytes, 'latin1'))
      .catch((e: unknown) => {
        this.error ??= e;
      });
  }
}
