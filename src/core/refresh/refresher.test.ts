import { describe, expect, it } from 'vitest';
import { RuncodeError } from '../errors.js';
import { FakeClock } from '../testing/fakeClock.js';
import type { PassTimes, RenewResult } from './refresher.js';
import { Refresher } from './refresher.js';

const MIN = 60_000;
const LIFE = 30 * MIN;

function setup(opts: { fail?: (name: string, attempt: number) => boolean; concurrency?: number } = {}) {
  const clock = new FakeClock();
  const calls: { name: string; at: number }[] = [];
  const batches: RenewResult[][] = [];
  const attempts = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const r = new Refresher({
    clock,
    random: () => 0.5,
    concurrency: opts.concurrency,
    async renew(name): Promise<PassTimes> {
      const n = (attempts.get(name) ?? 0) + 1;
      attempts.set(name, n);
      calls.push({ name, at: clock.now() });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((res) => setImmediate(res));
      inFlight--;
      if (opts.fail?.(name, n)) throw new RuncodeError('unreachable', 'the control plane did not answer');
      return { issuedAt: clock.now(), expiresAt: clock.now() + LIFE };
    },
    onBatch: (results) => void batches.push(results),
  });
  const pass = () => ({ issuedAt: clock.now(), expiresAt: clock.now() + LIFE });
  return { clock, r, calls, batches, pass, maxInFlight: () => maxInFlight };
}

describe('Refresher', () => {
  it('renews at half-life (spread by jitter), on the wall clock', async () => {
    const { clock, r, calls, pass } = setup();
    const t0 = clock.now();
    r.track('api', pass());
    await clock.advance(LIFE / 2 - 1000);
    expect(calls).toHaveLength(0);
    await clock.advance(2000);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.at - t0).toBe(LIFE * 0.5);
    // and again half-way through the new pass
    await clock.advance(LIFE / 2);
    expect(calls).toHaveLength(2);
    r.dispose();
  });

  it('spreads passes issued together over a window instead of one burst', async () => {
    const clock = new FakeClock();
    let i = 0;
    const seq = [0, 0.25, 0.5, 0.75, 1];
    const r = new Refresher({
      clock,
      random: () => seq[i++ % seq.length]!,
      renew: async () => ({ issuedAt: 0, expiresAt: 1 }),
    });
    const p = { issuedAt: clock.now(), expiresAt: clock.now() + LIFE };
    for (const n of ['a', 'b', 'c', 'd', 'e']) r.track(n, p);
    const due = [...r.deadlines().values()].map((d) => (d - p.issuedAt) / LIFE);
    expect(due).toEqual([0.45, 0.475, 0.5, 0.525, 0.55]);
    r.dispose();
  });

  it('renews what comes due together as one batch, one onBatch call, bounded concurrency', async () => {
    const { clock, r, batches, pass, maxInFlight } = setup({ concurrency: 3 });
    const p = pass();
    for (let i = 0; i < 10; i++) r.track(`w${i}`, p);
    await clock.advance(LIFE / 2 + 1);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((b) => b.ok)).toEqual(Array(10).fill(true));
    expect(maxInFlight()).toBe(3);
    r.dispose();
  });

  it('backs off exponentially with jitter on failure, staying ahead of expiry, then recovers', async () => {
    const { clock, r, calls, batches, pass } = setup({ fail: (_n, attempt) => attempt <= 4 });
    r.track('api', pass());
    await clock.advance(LIFE / 2);
    expect(calls).toHaveLength(1);
    expect(batches[0]![0]!.ok).toBe(false);
    expect(batches[0]![0]!.error?.code).toBe('unreachable');
    const gaps: number[] = [];
    for (let k = 0; k < 4; k++) {
      const before = calls.length;
      const last = calls[calls.length - 1]!.at;
      while (calls.length === before) await clock.advance(250);
      gaps.push(calls[calls.length - 1]!.at - last);
    }
    // Equal jitter, random 0.5 -> 0.75 of the step: 2 s, 4 s, 8 s, then success on the fifth attempt
    expect(gaps.slice(0, 3)).toEqual([1500, 3000, 6000]);
    expect(batches[batches.length - 1]![0]!.ok).toBe(true);
    r.dispose();
  });

  it('notices a sleep through the deadline (wall clock jumped, monotonic did not) within maxWait', async () => {
    const { clock, r, calls, pass } = setup();
    r.track('api', pass());
    await clock.advance(MIN);
    clock.jumpWall(2 * LIFE); // the laptop slept for an hour; the pass has expired
    await clock.advance(30_000);
    expect(calls).toHaveLength(1);
    r.dispose();
  });

  it('renews at once on checkNow (resume, unlock) when something is due, and not otherwise', async () => {
    const { clock, r, calls, pass } = setup();
    r.track('api', pass());
    await r.checkNow();
    expect(calls).toHaveLength(0);
    clock.jumpWall(LIFE);
    await r.checkNow();
    expect(calls).toHaveLength(1);
    r.dispose();
  });

  it('wakes no more than every maxWait (30 s) while idle, and not at all with nothing tracked', async () => {
    const { clock, r, pass } = setup();
    expect(clock.pendingTimers()).toBe(0);
    r.track('api', pass());
    expect(clock.pendingTimers()).toBe(1);
    r.untrack('api');
    expect(clock.pendingTimers()).toBe(0);
    r.dispose();
  });

  it('after the pass expired, retries every few seconds (not up to a minute), and at once on retryFailedNow', async () => {
    let down = true;
    const { clock, r, calls, batches } = setup({ fail: () => down });
    // Tracked with a pass that has already expired (the laptop woke after the server went down).
    r.track('api', { issuedAt: clock.now() - LIFE - MIN, expiresAt: clock.now() - MIN });
    await clock.advance(0);
    for (let k = 0; k < 8; k++) {
      const before = calls.length;
      while (calls.length === before) await clock.advance(250);
    }
    const gaps = calls.slice(1).map((c, i) => c.at - calls[i]!.at);
    // 0.75 of 2 s, then of the 4 s cap: never the minute-long steps used before expiry.
    expect(gaps.slice(0, 7)).toEqual([1500, 3000, 3000, 3000, 3000, 3000, 3000]);
    // The stream reconnected: retry now, not at the next step.
    down = false;
    const before = calls.length;
    await r.retryFailedNow();
    expect(calls.length).toBe(before + 1);
    expect(calls[calls.length - 1]!.at).toBe(clock.now());
    expect(batches[batches.length - 1]![0]!.ok).toBe(true);
    // Nothing failing: retryFailedNow renews nothing early.
    await r.retryFailedNow();
    expect(calls.length).toBe(before + 1);
    r.dispose();
  });
});
