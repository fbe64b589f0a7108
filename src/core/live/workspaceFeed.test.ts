// WorkspaceFeed and SseClient against the real local server (HTTPS, OAuth token, SSE hub), with
// a TCP relay in front of the event stream to cut it at will.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/testing/serverFixture.js';
import { startTestServer } from '../../server/testing/serverFixture.js';
import type { Workspace } from '../../shared/protocol.js';
import { ApiClient } from '../api/apiClient.js';
import { parseWorkspace } from '../api/schemas.js';
import { FakeClock } from '../testing/fakeClock.js';
import type { SseEvent } from './sseParser.js';
import { SseClient } from './sseClient.js';
import type { TcpProxy } from './testing/tcpProxy.js';
import { startTcpProxy } from './testing/tcpProxy.js';
import type { WorkspaceFeedOptions } from './workspaceFeed.js';
import { WorkspaceFeed } from './workspaceFeed.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: { bootDelayMs?: number } = {}) {
  const srv = await startTestServer({ bootDelayMs: opts.bootDelayMs ?? 150, stopDelayMs: 50 });
  cleanups.push(() => srv.close());
  const token = await srv.token();
  const api = new ApiClient({ endpoint: srv.endpoint, ca: srv.ca, token });
  cleanups.push(() => api.close());
  return { srv, token, api };
}

function makeFeed(
  srv: { endpoint: string; ca: string },
  token: string,
  api: ApiClient,
  extra: Partial<WorkspaceFeedOptions> = {},
): WorkspaceFeed {
  const feed = new WorkspaceFeed({
    listWorkspaces: () => api.listWorkspaces(),
    stream: { endpoint: srv.endpoint, ca: srv.ca, token },
    backoffInitialMs: 50,
    backoffMaxMs: 400,
    pollIntervalMs: 300,
    ...extra,
  });
  cleanups.push(() => feed.dispose());
  return feed;
}

async function until(cond: () => boolean, what: string, ms = 8_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The states a workspace went through, consecutive repeats folded. */
function statesOf(feed: WorkspaceFeed, id: string): string[] {
  const seen: string[] = [];
  const note = () => {
    const s = feed.get(id)?.state;
    if (s && seen.at(-1) !== s) seen.push(s);
  };
  note();
  cleanups.push(feed.subscribe(note));
  return seen;
}

async function serverReaches(api: ApiClient, id: string, state: Workspace['state']): Promise<void> {
  const end = Date.now() + 8_000;
  while ((await api.getWorkspace(id)).state !== state) {
    if (Date.now() > end) throw new Error(`${id} never reached ${state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function viaProxy(srv: TestServer): Promise<{ proxy: TcpProxy; endpoint: string }> {
  const proxy = await startTcpProxy(Number(new URL(srv.endpoint).port));
  cleanups.push(() => proxy.close());
  return { proxy, endpoint: `https://127.0.0.1:${proxy.port}` };
}

describe('WorkspaceFeed against the local server', () => {
  it('seeds by a list, streams, and sees starting -> running arrive', async () => {
    const { srv, token, api } = await setup({ bootDelayMs: 300 });
    const feed = makeFeed(srv, token, api);
    await feed.start();
    expect(feed.workspaces.map((w) => w.name).sort()).toEqual(['api', 'web']);
    await until(() => feed.mode === 'stream', 'stream mode');
    const states = statesOf(feed, 'ws-web');
    await api.startWorkspace('ws-web');
    await until(() => feed.get('ws-web')?.state === 'running', 'running');
    expect(states).toEqual(['stopped', 'starting', 'running']);
    expect(feed.error).toBeUndefined();
  });

  it('resumes with Last-Event-ID after the connection drops: the missed events, no more, no less', async () => {
    const { srv, token, api } = await setup();
    const { proxy, endpoint } = await viaProxy(srv);
    const client = new SseClient({ endpoint, path: '/api/v1/events', ca: srv.ca, token });
    cleanups.push(() => client.dispose());
    const got: SseEvent[] = [];
    let open = 0;
    let closed = 0;
    const handlers = {
      onOpen: () => open++,
      onEvent: (e: SseEvent) => got.push(e),
      onClose: () => closed++,
    };
    client.connect(handlers);
    await until(() => got.length === 2, 'the initial snapshot');
    const resumeFrom = Number(client.lastEventId);
    proxy.cut();
    await until(() => closed === 1, 'the drop');
    // Four transitions happen while we are away.
    await api.startWorkspace('ws-web');
    await serverReaches(api, 'ws-web', 'running');
    await api.stopWorkspace('ws-web');
    await serverReaches(api, 'ws-web', 'stopped');
    expect(got).toHaveLength(2);
    proxy.resume();
    client.connect(handlers);
    await until(() => got.length === 6, 'the replay');
    const replay = got.slice(2);
    expect(replay.map((e) => Number(e.id))).toEqual([1, 2, 3, 4].map((n) => resumeFrom + n));
    expect(replay.map((e) => (JSON.parse(e.data) as Workspace).state)).toEqual([
      'starting',
      'running',
      'stopping',
      'stopped',
    ]);
    expect(open).toBe(2);
    // And nothing repeated afterwards (no full-state dump on a successful resume).
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toHaveLength(6);
  });

  it('falls back to polling while the stream is unavailable, then returns to the stream and replays', async () => {
    const { srv, token, api } = await setup();
    const { proxy, endpoint } = await viaProxy(srv);
    const parsed: Workspace[] = [];
    const feed = makeFeed({ endpoint, ca: srv.ca }, token, api, {
      pollIntervalMs: 200,
      parseWorkspace: (j) => {
        const w = parseWorkspace(j);
        parsed.push(w);
        return w;
      },
    });
    const modes: string[] = [];
    cleanups.push(feed.subscribe((s) => modes.at(-1) !== s.mode && modes.push(s.mode)));
    await feed.start();
    await until(() => feed.mode === 'stream', 'stream mode');
    proxy.cut();
    await until(() => feed.mode === 'polling', 'polling mode');
    expect(feed.error?.code).toBeDefined();
    // Changes still arrive, by polling.
    await api.startWorkspace('ws-api');
    await until(() => feed.get('ws-api')?.state === 'running', 'running, seen by polling');
    const eventsBefore = parsed.length;
    proxy.resume();
    await until(() => feed.mode === 'stream', 'back to the stream');
    // The stream resumed from its last ID: the transitions it missed were replayed, in order.
    await until(() => parsed.length >= eventsBefore + 2, 'the replay');
    expect(parsed.slice(eventsBefore).map((w) => `${w.id}:${w.state}`)).toEqual([
      'ws-api:starting',
      'ws-api:running',
    ]);
    expect(feed.get('ws-api')?.state).toBe('running');
    // (The seed may land before or after the first stream opens.)
    expect(modes.slice(modes.indexOf('stream'))).toEqual(['stream', 'polling', 'stream']);
    expect(feed.error).toBeUndefined();
  });

  it('goes offline while the server is down and back to the stream after it restarts', async () => {
    // Our own data dir, so it outlives the first server (a passed-in dir is left in place).
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-feed-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const first = await startTestServer({ dataDir, bootDelayMs: 100, stopDelayMs: 50 });
    const port = Number(new URL(first.endpoint).port);
    let current: TestServer | undefined = first;
    cleanups.push(() => current?.close());
    const token = await first.token();
    const api = new ApiClient({ endpoint: first.endpoint, ca: first.ca, token });
    cleanups.push(() => api.close());
    const feed = makeFeed(first, token, api);
    await feed.start();
    await until(() => feed.mode === 'stream', 'stream mode');
    await first.close();
    current = undefined;
    await until(() => feed.mode === 'offline', 'offline mode');
    expect(['unreachable', 'stream_ended']).toContain(feed.error?.code);
    current = await startTestServer({ dataDir, port, bootDelayMs: 100, stopDelayMs: 50 });
    await until(() => feed.mode === 'stream', 'the stream after the restart');
    await api.startWorkspace('ws-web');
    await until(() => feed.get('ws-web')?.state === 'running', 'an event after the restart');
  });

  it('holds one timer while idle on the stream and one while waiting to reconnect', async () => {
    const { srv, token, api } = await setup();
    const { proxy, endpoint } = await viaProxy(srv);
    const clock = new FakeClock();
    const feed = makeFeed({ endpoint, ca: srv.ca }, token, api, { clock, backoffInitialMs: 1_000 });
    await feed.start();
    await until(() => feed.mode === 'stream', 'stream mode');
    // Streaming: the feed has no timer; the stream has its watchdog.
    expect(clock.pendingTimers()).toBe(1);
    proxy.cut();
    await until(() => feed.mode === 'polling', 'polling mode');
    // Down: one timer for the next reconnect or poll, whichever is first; no connection in flight.
    expect(clock.pendingTimers()).toBe(1);
    const accepted = proxy.accepted;
    proxy.resume();
    await clock.advance(1_000);
    await until(() => feed.mode === 'stream', 'reconnected when the backoff timer fired');
    expect(proxy.accepted).toBe(accepted + 1);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('reconnectNow replaces a stream that went quiet, resuming it', async () => {
    const { srv, token, api } = await setup();
    const { proxy, endpoint } = await viaProxy(srv);
    const feed = makeFeed({ endpoint, ca: srv.ca }, token, api);
    await feed.start();
    await until(() => feed.mode === 'stream', 'stream mode');
    const accepted = proxy.accepted;
    feed.reconnectNow();
    await until(() => proxy.accepted === accepted + 1 && feed.mode === 'stream', 'a fresh stream');
    await api.startWorkspace('ws-web');
    await until(() => feed.get('ws-web')?.state === 'running', 'events on the new stream');
  });

  it('says offline with the reason when the token is refused', async () => {
    const { srv } = await setup();
    const bad = new ApiClient({ endpoint: srv.endpoint, ca: srv.ca, token: 'not-a-real-token-xxxxxxxx' });
    cleanups.push(() => bad.close());
    const feed = makeFeed(srv, 'not-a-real-token-xxxxxxxx', bad);
    await feed.start();
    expect(feed.mode).toBe('offline');
    expect(feed.error?.code).toBe('unauthorized');
    expect(feed.workspaces).toEqual([]);
  });
});
