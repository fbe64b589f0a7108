import { EventEmitter } from 'node:events';
import type { Client } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { RuncodeError } from '../errors.js';
import type { SshTarget } from '../ssh/sshTarget.js';
import { FakeClock } from '../testing/fakeClock.js';
import { WorkspaceConnection } from './workspaceConnection.js';
import type { ConnectFn, LinkState } from './workspaceConnection.js';

const target: SshTarget = { host: '127.0.0.1', port: 1, user: 'u', privateKey: 'k', hostKeys: ['x'] };

class FakeClient extends EventEmitter {
  ended = false;
  /** Channels opened on this client (each an emitter the test closes). */
  readonly opened: EventEmitter[] = [];
  forwardOut(
    _a: string,
    _b: number,
    _c: string,
    _d: number,
    cb: (e: Error | undefined, ch: unknown) => void,
  ): void {
    const ch = new EventEmitter();
    this.opened.push(ch);
    cb(undefined, ch);
  }
  end(): void {
    this.ended = true;
    this.emit('close');
  }
  destroy(): void {
    this.end();
  }
}

function setup(outcomes: Array<'ok' | RuncodeError>, idleCloseMs?: number) {
  const clock = new FakeClock();
  const states: Array<[LinkState, string | undefined]> = [];
  const clients: FakeClient[] = [];
  const attemptsAt: number[] = [];
  const connect: ConnectFn = async () => {
    attemptsAt.push(clock.monotonic());
    const next = outcomes.shift() ?? 'ok';
    if (next !== 'ok') throw next;
    const c = new FakeClient();
    clients.push(c);
    return c as unknown as Client;
  };
  const link = new WorkspaceConnection({
    workspace: 'demo',
    getTarget: async () => target,
    onState: (s, r) => states.push([s, r]),
    clock,
    random: () => 0,
    backoff: { baseMs: 1_000, maxMs: 8_000 },
    waitMs: 5_000,
    readyTimeoutMs: 1_000,
    connect,
    ...(idleCloseMs !== undefined ? { idleCloseMs } : {}),
  });
  return { clock, states, clients, attemptsAt, link };
}

const unreachable = (): RuncodeError => new RuncodeError('unreachable', 'cannot reach the gateway');

describe('WorkspaceConnection', () => {
  it('retries on jittered exponential backoff while the gateway is unreachable', async () => {
    const t = setup([unreachable(), unreachable(), unreachable(), 'ok']);
    t.link.start();
    await t.clock.advance(20_000);
    // random() = 0: half of 1 s, 2 s, 4 s after each failure.
    expect(t.attemptsAt).toEqual([0, 500, 1_500, 3_500]);
    expect(t.states.map((s) => s[0])).toEqual(['reconnecting', 'connected']);
    expect(t.states[0]![1]).toBe('cannot reach the gateway');
    await t.link.dispose();
  });

  it('shows lasting failures (refused key) as failed, and keeps trying', async () => {
    const refused = new RuncodeError('auth_refused', 'the gateway refused the key');
    const t = setup([refused, 'ok']);
    t.link.start();
    await t.clock.advance(0);
    expect(t.states.at(-1)).toEqual(['failed', 'the gateway refused the key']);
    await t.clock.advance(600);
    expect(t.states.at(-1)![0]).toBe('connected');
    await t.link.dispose();
  });

  it('reconnects after a drop, and says the drop caused it', async () => {
    const t = setup([]);
    t.link.start();
    await t.clock.advance(0);
    t.clients[0]!.emit('error', new Error('Keepalive timeout'));
    t.clients[0]!.emit('close');
    expect(t.states.at(-1)).toEqual(['reconnecting', 'the gateway connection ended: Keepalive timeout']);
    await t.clock.advance(500);
    expect(t.states.at(-1)![0]).toBe('connected');
    expect(t.clients).toHaveLength(2);
    await t.link.dispose();
  });

  it('a connection that carries no channel for idleCloseMs is closed, quietly, and reopened on demand', async () => {
    const t = setup([], 60_000);
    t.link.start();
    await t.clock.advance(0);
    const ch = await t.link.forwardOut(1, 80);
    await t.clock.advance(120_000);
    expect(t.clients[0]!.ended).toBe(false); // a channel is open: not idle
    (ch as unknown as EventEmitter).emit('close');
    await t.clock.advance(59_000);
    expect(t.clients[0]!.ended).toBe(false);
    await t.clock.advance(2_000);
    expect(t.clients[0]!.ended).toBe(true);
    // Not a drop: no reconnecting state, no retry on its own.
    expect(t.states).toEqual([['connected', undefined]]);
    await t.clock.advance(600_000);
    expect(t.attemptsAt).toHaveLength(1);
    // The next local connection opens a new one.
    const next = t.link.forwardOut(1, 80);
    await t.clock.advance(0);
    await next;
    expect(t.clients).toHaveLength(2);
    expect(t.clients[1]!.opened).toHaveLength(1);
    expect(t.states).toEqual([['connected', undefined]]);
    await t.link.dispose();
  });

  it('reconnectNow makes a new connection before ending the old one', async () => {
    const t = setup([]);
    t.link.start();
    await t.clock.advance(0);
    t.link.reconnectNow();
    await t.clock.advance(0);
    expect(t.clients).toHaveLength(2);
    expect(t.clients[0]!.ended).toBe(true);
    expect(t.clients[1]!.ended).toBe(false);
    await t.link.dispose();
    expect(t.clients[1]!.ended).toBe(true);
  });

  it('a connection waiting while the gateway is down fails cleanly after waitMs', async () => {
    const t = setup([unreachable(), unreachable(), unreachable(), unreachable()]);
    t.link.start();
    await t.clock.advance(0);
    // Triggers an early attempt (fails), then waits for the next one: also a failure.
    const p = t.link.forwardOut(1, 80).catch((e: RuncodeError) => e);
    await t.clock.advance(5_000);
    const e = await p;
    expect(e).toBeInstanceOf(RuncodeError);
    expect((e as RuncodeError).code).toBe('unreachable');
    await t.link.dispose();
    expect(t.clock.pendingTimers()).toBe(0);
  });
});

describe('WorkspaceConnection target', () => {
  it('a getTarget that hangs counts as a timed-out attempt, and is retried', async () => {
    const clock = new FakeClock();
    const states: Array<[LinkState, string | undefined]> = [];
    let calls = 0;
    const link = new WorkspaceConnection({
      workspace: 'demo',
      getTarget: () => (++calls === 1 ? new Promise<SshTarget>(() => {}) : Promise.resolve(target)),
      onState: (s, r) => states.push([s, r]),
      clock,
      random: () => 0,
      backoff: { baseMs: 1_000, maxMs: 8_000 },
      waitMs: 5_000,
      readyTimeoutMs: 2_000,
      connect: async () => new FakeClient() as unknown as Client,
    });
    link.start();
    await clock.advance(2_000);
    expect(states[0]).toEqual(['reconnecting', 'getting a pass for demo took too long']);
    await clock.advance(500);
    expect(states.at(-1)![0]).toBe('connected');
    await link.dispose();
  });
});
