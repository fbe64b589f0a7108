// The one backoff formula every retry loop uses (forwards, the live feed, the pass refresher).

export interface BackoffOptions {
  /** First delay. Default 500 ms. */
  baseMs?: number;
  /** Longest delay. Default 10 s. */
  maxMs?: number;
}

/**
 * How long to wait before retry number `attempt` (0-based): exponential, with "equal jitter":
 * half the step is fixed, half random, so retries from many clients (or workspaces) spread out
 * yet never collapse to zero (a tight loop against a dead server).
 */
export function backoffDelay(
  attempt: number,
  opts: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const base = opts.baseMs ?? 500;
  const max = opts.maxMs ?? 10_000;
  const step = Math.min(max, base * 2 ** Math.min(Math.max(0, attempt), 30));
  return Math.round(step / 2 + random() * (step / 2));
}
