/**
 * Time as core sees it. Deadlines are on the wall clock (a laptop that sleeps through an expiry
 * must notice on wake), timers on the monotonic one; comparing the two reveals clock jumps.
 * Tests pass a controllable clock.
 */
export interface Clock {
  /** Wall-clock milliseconds since the epoch. */
  now(): number;
  /** Monotonic milliseconds (does not jump when the wall clock is set). */
  monotonic(): number;
  /** Runs `fn` after `ms`; returns the cancel. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimer(fn, ms) {
    // Not unref'd: a CLI waiting for a workspace has nothing else keeping it alive. Owners of
    // timers dispose() them instead.
    const t = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(t);
  },
};
