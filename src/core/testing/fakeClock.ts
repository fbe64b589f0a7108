// A controllable Clock for tests: time moves only when the test says so.
import type { Clock } from '../clock.js';

interface Timer {
  at: number;
  fn: () => void;
  id: number;
}

export class FakeClock implements Clock {
  private wall: number;
  private mono = 0;
  private timers: Timer[] = [];
  private seq = 0;

  constructor(start = Date.UTC(2026, 10, 27, 12)) {
    this.wall = start;
  }

  now(): number {
    return this.wall;
  }

  monotonic(): number {
    return this.mono;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const t = { at: this.mono + Math.max(0, ms), fn, id: this.seq++ };
    this.timers.push(t);
    return () => {
      this.timers = this.timers.filter((x) => x !== t);
    };
  }

  pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves both clocks forward, firing timers in order and letting promises settle after each. */
  async advance(ms: number): Promise<void> {
    const end = this.mono + ms;
    for (;;) {
      await settle();
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.wall += next.at - this.mono;
      this.mono = next.at;
      next.fn();
    }
    this.wall += end - this.mono;
    this.mono = end;
    await settle();
  }

  /** The wall clock alone jumps (a sleep the monotonic clock did not see, or the user set the time). */
  jumpWall(ms: number): void {
    this.wall += ms;
  }
}

/** Lets pending promise chains and immediates run (renewals await I/O-like steps). */
async function settle(): Promise<void> {
  for (let round = 0; round < 10; round++) {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await new Promise<void>((r) => setImmediate(r));
  }
}
