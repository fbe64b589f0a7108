import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fakeClock.js';
import { LinkHealth } from './linkHealth.js';

function setup(graceMs = 10_000) {
  const clock = new FakeClock();
  const changes: string[] = [];
  const health = new LinkHealth(clock, (w) => changes.push(w), graceMs);
  return { clock, changes, health };
}

describe('LinkHealth', () => {
  it('shows connecting, up with the last round trip, down with why and the next retry', async () => {
    const { clock, health } = setup();
    const t0 = clock.now();
    health.state('api', 'connecting', undefined);
    expect(health.view('api')).toEqual({ state: 'connecting', since: new Date(t0).toISOString() });
    await clock.advance(1_000);
    health.state('api', 'connected', undefined);
    health.roundTrip('api', 41.6);
    expect(health.view('api')).toMatchObject({
      state: 'up',
      rttMs: 42,
      since: new Date(t0 + 1_000).toISOString(),
    });

    await clock.advance(5_000);
    health.state('api', 'reconnecting', 'the gateway closed the connection');
    health.retryAt('api', clock.now() + 2_000);
    expect(health.view('api')).toEqual({
      state: 'down',
      since: new Date(t0 + 6_000).toISOString(),
      reason: 'the gateway closed the connection',
      nextRetryAt: new Date(t0 + 8_000).toISOString(),
      rttMs: 42,
      rttAt: new Date(t0 + 1_000).toISOString(),
    });
    // Still down (now failed): same "since", new reason.
    await clock.advance(2_000);
    health.state('api', 'failed', 'workspace api is stopped');
    expect(health.view('api')).toMatchObject({
      state: 'down',
      since: new Date(t0 + 6_000).toISOString(),
      reason: 'workspace api is stopped',
    });

    health.state('api', 'connected', undefined);
    const up = health.view('api')!;
    expect(up.state).toBe('up');
    expect(up.reason).toBeUndefined();
    expect(up.nextRetryAt).toBeUndefined();
  });

  it('counts a link as down too long only after the grace, and says so when the grace ends', async () => {
    const { clock, changes, health } = setup(10_000);
    health.state('api', 'connected', undefined);
    health.state('api', 'reconnecting', 'x');
    await clock.advance(9_000);
    expect(health.downTooLong()).toEqual([]);
    changes.length = 0;
    await clock.advance(1_000);
    expect(health.downTooLong()).toEqual(['api']);
    expect(changes).toEqual(['api']); // the grace timer, so the tray icon can turn
  });

  it('a link back up within the grace never counts, and its grace timer is gone', async () => {
    const { clock, changes, health } = setup(10_000);
    health.state('api', 'reconnecting', 'x');
    await clock.advance(3_000);
    health.state('api', 'connected', undefined);
    changes.length = 0;
    await clock.advance(20_000);
    expect(changes).toEqual([]);
    expect(health.downTooLong()).toEqual([]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('forgets a closed link (no forwards left) and ignores hooks for unknown links', () => {
    const { clock, health } = setup();
    health.state('api', 'reconnecting', 'x');
    health.closed('api');
    expect(health.view('api')).toBeUndefined();
    expect(health.downTooLong()).toEqual([]);
    expect(clock.pendingTimers()).toBe(0);
    health.roundTrip('web', 5);
    health.retryAt('web', 1);
    expect(health.view('web')).toBeUndefined();
  });
});
