import { describe, expect, it } from 'vitest';
import { startTestServer } from '../../server/testing/serverFixture.js';
import type { Workspace, WorkspaceState } from '../../shared/protocol.js';
import { ApiClient } from '../api/apiClient.js';
import { RuncodeError } from '../errors.js';
import { connectSsh } from '../ssh/sshConnection.js';
import { generateEd25519KeyPair } from '../ssh/opensshKey.js';
import { FakeClock } from '../testing/fakeClock.js';
import type { FeedLike, ReadyProgress } from './waitReady.js';
import { waitUntilReady } from './waitReady.js';
import { WorkspaceFeed } from './workspaceFeed.js';

class FakeFeed implements FeedLike {
  private ws: Workspace | undefined;
  private readonly listeners = new Set<() => void>();
  get(id: string): Workspace | undefined {
    return this.ws?.id === id ? this.ws : undefined;
  }
  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  set(state: WorkspaceState, stateReason?: string): void {
    this.ws = {
      ...(stateReason ? { stateReason } : {}),
      id: 'ws-a',
      name: 'a',
      state,
      workdir: '/w',
      webIdeUrl: 'https://x.example/',
      ports: [],
      updatedAt: new Date().toISOString(),
    };
    for (const l of [...this.listeners]) l();
  }
}

function setup(initial: WorkspaceState = 'starting') {
  const clock = new FakeClock();
  const feed = new FakeFeed();
  feed.set(initial);
  const progress: ReadyProgress[] = [];
  return { clock, feed, progress, onProgress: (p: ReadyProgress) => progress.push(p) };
}

/** Lets the promise's outcome be observed without an unhandled rejection. */
function settle<T>(p: Promise<T>) {
  const out: { value?: T; error?: { code?: string; message: string } } = {};
  p.then(
    (v) => (out.value = v),
    (e: { code?: string; message: string }) => (out.error = e),
  );
  return out;
}

describe('waitUntilReady', () => {
  it('resolves once running and the handshake succeeds, reporting progress', async () => {
    const { clock, feed, progress, onProgress } = setup();
    let probes = 0;
    const r = settle(
      waitUntilReady({
        feed,
        id: 'ws-a',
        probe: async () => void probes++,
        timeoutMs: 30_000,
        clock,
        onProgress,
      }),
    );
    await clock.advance(3_000);
    expect(r.value).toBeUndefined();
    expect(probes).toBe(0);
    feed.set('running');
    await clock.advance(0);
    expect(r.value?.state).toBe('running');
    expect(probes).toBe(1);
    expect(progress.map((p) => `${p.phase}:${p.reason}`)).toEqual([
      'waiting:the workspace is still starting',
      'probing:checking that the gateway answers',
      'ready:the workspace is running and answers over SSH',
    ]);
  });

  it('retries the handshake until the gateway answers', async () => {
    const { clock, feed } = setup('running');
    let probes = 0;
    const r = settle(
      waitUntilReady({
        feed,
        id: 'ws-a',
        probe: async () => {
          if (++probes < 3) throw new Error('connection refused');
        },
        timeoutMs: 30_000,
        retryMs: 500,
        clock,
      }),
    );
    await clock.advance(400);
    expect(probes).toBe(1);
    await clock.advance(1_000);
    expect(probes).toBe(3);
    expect(r.value?.state).toBe('running');
  });

  it('times out with the last reason: the gateway did not answer', async () => {
    const { clock, feed } = setup('running');
    const r = settle(
      waitUntilReady({
        feed,
        id: 'ws-a',
        probe: () => Promise.reject(new Error('auth refused')),
        timeoutMs: 5_000,
        clock,
      }),
    );
    await clock.advance(4_900);
    expect(r.error).toBeUndefined();
    await clock.advance(200);
    expect(r.error).toMatchObject({ code: 'not_ready' });
    expect(r.error?.message).toBe(
      'the workspace was not ready within 5 s: the gateway did not answer: auth refused',
    );
  });

  it('times out with the last reason: still starting', async () => {
    const { clock, feed } = setup('starting');
    const r = settle(
      waitUntilReady({
        getWorkspace: () => feed.get('ws-a'),
        probe: async () => {},
        timeoutMs: 2_000,
        clock,
      }),
    );
    await clock.advance(2_500);
    expect(r.error?.message).toBe('the workspace was not ready within 2 s: the workspace is still starting');
  });

  it('retries a failed state read, but not a sign-in problem', async () => {
    const { clock, feed } = setup('running');
    let reads = 0;
    const r = settle(
      waitUntilReady({
        getWorkspace: () => {
          if (++reads < 3) throw new RuncodeError('unreachable', 'cannot reach the server');
          return feed.get('ws-a');
        },
        probe: async () => {},
        timeoutMs: 30_000,
        clock,
      }),
    );
    await clock.advance(2_500);
    expect(reads).toBe(3);
    expect(r.value?.state).toBe('running');
    const signedOut = settle(
      waitUntilReady({
        getWorkspace: () => Promise.reject(new RuncodeError('unauthorized', 'sign in again')),
        probe: async () => {},
        timeoutMs: 30_000,
        clock,
      }),
    );
    await clock.advance(0);
    expect(signedOut.error).toMatchObject({ code: 'unauthorized' });
  });

  it('gives up on a handshake that hangs past the deadline, and tells the probe to stop', async () => {
    const { clock, feed } = setup('running');
    let probeSignal: AbortSignal | undefined;
    const r = settle(
      waitUntilReady({
        feed,
        id: 'ws-a',
        probe: (signal) => {
          probeSignal = signal;
          return new Promise(() => {});
        },
        timeoutMs: 3_000,
        clock,
      }),
    );
    await clock.advance(3_100);
    expect(r.error).toMatchObject({
      code: 'not_ready',
      message: expect.stringContaining('did not answer in time'),
    });
    expect(probeSignal?.aborted).toBe(true);
  });

  it('fails fast when the workspace fails, or stops while starting', async () => {
    for (const end of ['failed', 'stopped', 'stopping'] as const) {
      const { clock, feed } = setup('starting');
      const r = settle(waitUntilReady({ feed, id: 'ws-a', probe: async () => {}, timeoutMs: 60_000, clock }));
      await clock.advance(100);
      feed.set(end);
      await clock.advance(0);
      expect(r.error, end).toMatchObject({ code: 'start_failed' });
    }
  });

  it("says why the workspace failed when the server's stateReason does", async () => {
    const { clock, feed } = setup('starting');
    const r = settle(waitUntilReady({ feed, id: 'ws-a', probe: async () => {}, timeoutMs: 60_000, clock }));
    await clock.advance(100);
    feed.set('failed', 'port 8080 is already in use');
    await clock.advance(0);
    expect(r.error).toMatchObject({
      code: 'start_failed',
      message: 'the workspace failed to start: port 8080 is already in use',
    });
  });

  it('waits a grace period for a workspace still shown stopped (the start request may be in flight)', async () => {
    const { clock, feed } = setup('stopped');
    const r = settle(
      waitUntilReady({
        feed,
        id: 'ws-a',
        probe: async () => {},
        timeoutMs: 60_000,
        stoppedGraceMs: 5_000,
        clock,
      }),
    );
    await clock.advance(4_000);
    expect(r.error).toBeUndefined();
    await clock.advance(2_000);
    expect(r.error).toMatchObject({
      code: 'start_failed',
      message: 'the workspace is stopped; start it first',
    });
  });

  it('stops waiting when aborted, even in the middle of a handshake', async () => {
    const { clock, feed } = setup('running');
    const ac = new AbortController();
    const r = settle(
      waitUntilReady({
        feed,
        id: 'ws-a',
        probe: () => new Promise(() => {}),
        timeoutMs: 60_000,
        clock,
        signal: ac.signal,
      }),
    );
    await clock.advance(100);
    ac.abort();
    await clock.advance(0);
    expect(r.error).toMatchObject({ code: 'cancelled' });
  });

  it('against the local server: start -> events -> running -> SSH answers', async () => {
    const srv = await startTestServer({ bootDelayMs: 300 });
    const api = new ApiClient({ endpoint: srv.endpoint, ca: srv.ca, token: await srv.token() });
    const feed = new WorkspaceFeed({
      listWorkspaces: () => api.listWorkspaces(),
      stream: { endpoint: srv.endpoint, ca: srv.ca, token: await srv.token() },
    });
    try {
      await feed.start();
      const key = generateEd25519KeyPair();
      const pass = await api.createSshPass('ws-web', key.publicKey);
      const target = {
        host: pass.gateway.host,
        port: pass.gateway.port,
        user: pass.user,
        privateKey: key.privateKey,
        hostKeys: pass.hostKeys,
      };
      const probe = async (signal: AbortSignal) =>
        void (await connectSsh(target, { signal, readyTimeoutMs: 5_000 })).end();
      await api.startWorkspace('ws-web');
      const phases: string[] = [];
      const ws = await waitUntilReady({
        feed,
        id: 'ws-web',
        probe,
        timeoutMs: 15_000,
        retryMs: 100,
        onProgress: (p) => phases.push(p.phase),
      });
      expect(ws.state).toBe('running');
      expect(phases.at(-1)).toBe('ready');
      expect(phases).toContain('waiting');

      // A handshake that cannot succeed (a host key the gateway does not have) is a reason, not a hang.
      const other = generateEd25519KeyPair().publicKey.split(' ').slice(0, 2).join(' ');
      const refused = waitUntilReady({
        feed,
        id: 'ws-web',
        probe: async (signal) => void (await connectSsh({ ...target, hostKeys: [other] }, { signal })).end(),
        timeoutMs: 1_500,
        retryMs: 200,
      });
      await expect(refused).rejects.toMatchObject({
        code: 'not_ready',
        message: expect.stringContaining("the gateway did not answer: the gateway's host key changed"),
      });
    } finally {
      feed.dispose();
      api.close();
      await srv.close();
    }
  });
});
