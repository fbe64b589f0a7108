// The progress line of `runcode put`/`get` on stderr: nothing for a quick transfer, then at most
// one update a second with bytes, total and percent. On a terminal the line is redrawn in place;
// in a log each update is its own line.
import type { TransferProgress } from '../core/ssh/sftpTransfer.js';

export interface ProgressOut {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface TransferProgressOptions {
  out?: ProgressOut;
  now?: () => number;
  /** Quiet for transfers shorter than this. Default 1 s. */
  delayMs?: number;
  /** At most one update per this. Default 1 s. */
  everyMs?: number;
}

export class TransferProgressLine {
  private readonly out: ProgressOut;
  private readonly now: () => number;
  private readonly start: number;
  private last = -Infinity;
  private shown = false;
  private latest: TransferProgress | undefined;

  constructor(
    private readonly label: string,
    private readonly o: TransferProgressOptions = {},
  ) {
    this.out = o.out ?? process.stderr;
    this.now = o.now ?? Date.now;
    this.start = this.now();
  }

  update(p: TransferProgress): void {
    this.latest = p;
    const t = this.now();
    if (t - this.start < (this.o.delayMs ?? 1000) || t - this.last < (this.o.everyMs ?? 1000)) return;
    this.last = t;
    this.print(p);
  }

  /** Ends the line (with the final figures) if anything was shown. */
  done(): void {
    if (!this.shown) return;
    if (this.latest) this.print(this.latest);
    if (this.out.isTTY) this.out.write('\n');
  }

  private print(p: TransferProgress): void {
    this.shown = true;
    const text = progressText(this.label, p);
    this.out.write(this.out.isTTY ? `\r${text}\x1b[K` : `${text}\n`);
  }
}

export function progressText(label: string, p: TransferProgress): string {
  const pct = p.total > 0 ? Math.floor((p.bytes / p.total) * 100) : 100;
  return `${label}: ${formatBytes(p.bytes)} / ${formatBytes(p.total)} (${pct}%)`;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}
