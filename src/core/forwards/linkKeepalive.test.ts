// The shared keepalive's bookkeeping with a controllable clock; forwardManager.test.ts checks it
// against the real gateway (a frozen gateway process is noticed, and the link comes back).
import type { Client } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fakeClock.js';
import { LinkKeepalive, pingSsh } from './linkKeepalive.js';

/** What pingSsh uses of an ssh2 Client: the reply queue and the ping. */
function fakeClient(): { client: Client; pings: number; answer(): void } {
  const callbacks: Array<() => void> = [];
  const f = {
    pings: 0,
    answer: () => callbacks.shift()?.(),
    client: {
      _callbacks: callbacks,
      _sock: { writable: true },
      _protocol: { ping: () => f.pings++ },
    } as unknown as Client,
  };
  return f;
}

describe('LinkKeepalive', () => {
  it('pings every connection on its own timer when nobody ticks, and drops one that does not answer', async () => {
    const clock = new FakeClock();
    const ka = new LinkKeepalive(clock, 10_000);
    const a = fakeClient();
    const b = fakeClient();
    const dead: string[] = [];
    ka.watch(a.client, (r) => dead.push(`a: ${r}`));
    ka.watch(b.client, (r) => dead.push(`b: ${r}`));
    expect(clock.pendingTimers()).toBe(1); // one timer for all
    await clock.advance(11_000);
    expect([a.pings, b.pings]).toEqual([1, 1]);
    a.answer();
    expect(ka.health(a.client)?.rttMs).toBe(0);
    await clock.advance(11_000);
    expect(dead).toEqual(['b: the gateway stopped answering (no keepalive reply in 11 s)']);
    expect([a.pings, b.pings]).toEqual([2, 1]);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('stays quiet while ticks come from outside (the SSE heartbeat), and stops with the last watch', async () => {
    const clock = new FakeClock();
    const ka = new LinkKeepalive(clock, 15_000);
    const a = fakeClient();
    const unwatch = ka.watch(a.client, () => {
      throw new Error('not dead');
    });
    for (let i = 0; i < 8; i++) {
      await clock.advance(14_000);
      ka.tick();
      a.answer();
    }
    expect(a.pings).toBe(8); // only the outside ticks pinged: the fallback timer never fired
    unwatch();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('reports when ssh2 lacks the internals it needs', () => {
    expect(pingSsh({} as Client, () => undefined)).toBe(false);
  });
});
