// After our rename replaced the user's ~/.ssh/config, an appender (`cat >> ~/.ssh/config`) that
// opened the old file just before it writes into the old one, not into ours, as late as its
// scheduler lets it (tens of ms on a loaded machine). The watch reads the old file on from where
// our last read of it ended, until it stays quiet for LATE_APPEND_WATCH_MS, and hands what came
// to the new file. It starts at the rename and runs while `ssh -G` judges the write (the two
// used to take their turns, ~30 ms more per write): what it sees meanwhile is held back until
// handOn(), so a restore after a failed check still compares against exactly what we wrote.
import type { FileHandle } from 'node:fs/promises';
import fs from 'node:fs/promises';

export const LATE_APPEND_WATCH_MS = 30;

export class LateAppendWatch {
  private held = '';
  private handing = false;
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
    await this.quiet;
    await this.appended;
    if (this.error !== undefined) throw this.error;
  }

  private async watch(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      await new Promise((r) => setTimeout(r, LATE_APPEND_WATCH_MS));
      const late = await this.old.readFile({ encoding: 'latin1' });
      if (!late) return;
      if (this.handing) this.append(late);
      else this.held += late;
    }
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
