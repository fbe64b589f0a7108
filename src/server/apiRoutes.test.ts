// /api/v1 over real HTTPS: workspaces, start/stop with the transitions seen on SSE (and
// Last-Event-ID resume), and ssh-pass (bad input: apiRoutes.badInput.test.ts).
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEd25519KeyPair } from '../core/ssh/opensshKey.js';
import type { SshPass, Workspace } from '../shared/protocol.js';
import { httpsRequest } from './testing/httpsRequest.js';
import type { TestServer } from './testing/serverFixture.js';
import { API_PAGE, startTestServer } from './testing/serverFixture.js';
import { startApiTestServer } from './testing/apiTestServer.js';
import type { SseEvent } from './testing/sseClient.js';
import { connectSse } from './testing/sseClient.js';
import { freePort } from './workspaceCatalog.js';

let srv: TestServer;
let token: string;
const req = (p: string, o: Parameters<typeof httpsRequest>[3] = {}) =>
  httpsRequest(srv.endpoint, srv.ca, p, { token, ...o });
const stateFile = () => fs.readFileSync(path.join(srv.dataDir, 'state.json'), 'utf8');
const ws = (e: SseEvent) => JSON.parse(e.data) as Workspace;
const is = (name: string, state: string) => (e: SseEvent) =>
  e.event === 'workspace' && ws(e).name === name && ws(e).state === state;

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

beforeAll(async () => {
  ({ srv, token } = await startApiTestServer());
});
afterAll(() => srv?.close());

describe('workspaces', () => {
  it('lists and gets workspaces with every protocol field', async () => {
    const r = await req('/api/v1/workspaces');
    expect(r.status).toBe(200);
    const list = (r.json as { workspaces: Workspace[] }).workspaces;
    expect(list.map((w) => w.id)).toEqual(['ws-api', 'ws-web']);
    const api = list[0]!;
    expect(api).toMatchObject({
      name: 'api',
      state: 'stopped',
      ports: [{ port: srv.apiPort, label: 'demo' }],
    });
    expect(api.webIdeUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/ide\/ws-api$/);
    expect(path.isAbsolute(api.workdir) && fs.statSync(api.workdir).isDirectory()).toBe(true);
    expect(Number.isNaN(Date.parse(api.updatedAt))).toBe(false);
    const one = await req('/api/v1/workspaces/ws-web');
    expect(one.status).toBe(200);
    expect((one.json as Workspace).name).toBe('web');
    expect((await req('/api/v1/me')).json).toMatchObject({ id: 'u-local' });
  });

  it('start and stop go through starting/running and stopping/stopped on SSE; the service runs meanwhile', async () => {
    const sse = await connectSse(srv.endpoint, srv.ca, token);
    try {
      expect(sse.status).toBe(200);
      expect(sse.headers['content-type']).toMatch(/^text\/event-stream/);
      // On connect: the current state of every workspace.
      await sse.waitFor(is('api', 'stopped'));
      await sse.waitFor(is('web', 'stopped'));
      expect(sse.events.every((e) => /^\d+$/.test(e.id ?? ''))).toBe(true);

      const started = await req('/api/v1/workspaces/ws-api/start', { method: 'POST' });
      expect(started.status).toBe(202);
      expect((started.json as Workspace).state).toBe('starting');
      const idempotent = await req('/api/v1/workspaces/ws-api/start', { method: 'POST' });
      expect(idempotent.status).toBe(202);
      expect((idempotent.json as Workspace).state).toBe('starting');
      const starting = await sse.waitFor(is('api', 'starting'));
      const running = await sse.waitFor(is('api', 'running'));
      expect(Number(running.id)).toBeGreaterThan(Number(starting.id));
      expect(await httpGet(srv.apiPort!)).toBe(API_PAGE);
      expect(
        ((await req('/api/v1/workspaces/ws-api/start', { method: 'POST' })).json as Workspace).state,
      ).toBe('running');

      const stopped = await req('/api/v1/workspaces/ws-api/stop', { method: 'POST' });
      expect(stopped.status).toBe(202);
      expect((stopped.json as Workspace).state).toBe('stopping');
      await sse.waitFor(is('api', 'stopping'));
      await sse.waitFor(is('api', 'stopped'));
      await expect(httpGet(srv.apiPort!)).rejects.toThrow(/ECONNREFUSED/);
      const again = await req('/api/v1/workspaces/ws-api/stop', { method: 'POST' });
      expect(again.status).toBe(202);
      expect((again.json as Workspace).state).toBe('stopped');
      // The idempotent calls made no events: 2 snapshot + 4 transitions.
      expect(sse.events).toHaveLength(6);
      // Heartbeats are comments.
      await new Promise((r) => setTimeout(r, 250));
      expect(sse.comments).toContain('heartbeat');
    } finally {
      sse.close();
    }
  });

  it('Last-Event-ID resume replays only what was missed; an unknown or too-old id gets the full state', async () => {
    const first = await connectSse(srv.endpoint, srv.ca, token);
    const snapshot = await first.waitFor(is('web', 'stopped'));
    first.close();
    const lastId = snapshot.id!;

    await req('/api/v1/workspaces/ws-web/start', { method: 'POST' });
    const watch = await connectSse(srv.endpoint, srv.ca, token);
    await watch.waitFor(is('web', 'running'));
    watch.close();

    const resumed = await connectSse(srv.endpoint, srv.ca, token, lastId);
    await resumed.waitFor(is('web', 'running'));
    await new Promise((r) => setTimeout(r, 50));
    expect(resumed.events.map((e) => `${ws(e).name} ${ws(e).state}`)).toEqual([
      'web starting',
      'web running',
    ]);
    expect(resumed.events.map((e) => Number(e.id))).toEqual([Number(lastId) + 1, Number(lastId) + 2]);
    resumed.close();

    // Up to date: nothing at all.
    const current = await connectSse(srv.endpoint, srv.ca, token, String(Number(lastId) + 2));
    await new Promise((r) => setTimeout(r, 100));
    expect(current.events).toEqual([]);
    current.close();

    // Older than the ring buffer (8 events), from the future, or garbage: the full state.
    for (let i = 0; i < 3; i++) {
      await req('/api/v1/workspaces/ws-web/stop', { method: 'POST' });
      const s = await connectSse(srv.endpoint, srv.ca, token);
      await s.waitFor(is('web', 'stopped'));
      s.close();
      await req('/api/v1/workspaces/ws-web/start', { method: 'POST' });
      const t = await connectSse(srv.endpoint, srv.ca, token);
      await t.waitFor(is('web', 'running'));
      t.close();
    }
    for (const id of [lastId, '999999999', 'abc']) {
      const full = await connectSse(srv.endpoint, srv.ca, token, id);
      await full.waitFor(is('api', 'stopped'));
      await full.waitFor(is('web', 'running'));
      expect(full.events).toHaveLength(2);
      full.close();
    }
    await req('/api/v1/workspaces/ws-web/stop', { method: 'POST' });
  });

  it('a service whose port is taken makes the workspace failed; start again once it is free', async () => {
    const port = await freePort();
    const bad = await startTestServer({
      workspaces: [{ name: 'busy', ports: [{ port }], services: [{ type: 'static-http', port, body: 'x' }] }],
    });
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const t = await bad.token();
      const sse = await connectSse(bad.endpoint, bad.ca, t);
      await httpsRequest(bad.endpoint, bad.ca, '/api/v1/workspaces/ws-busy/start', {
        method: 'POST',
        token: t,
      });
      const failed = await sse.waitFor(is('busy', 'failed'));
      expect(ws(failed).stateReason).toBe(`port ${port} is already in use`);
      const listed = await httpsRequest(bad.endpoint, bad.ca, '/api/v1/workspaces', { token: t });
      const busy = (listed.json as { workspaces: Workspace[] }).workspaces.find((w) => w.name === 'busy');
      expect(busy?.stateReason).toBe(`port ${port} is already in use`);
      await new Promise<void>((r) => blocker.close(() => r()));
      const again = await httpsRequest(bad.endpoint, bad.ca, '/api/v1/workspaces/ws-busy/start', {
        method: 'POST',
        token: t,
      });
      expect((again.json as Workspace).state).toBe('starting');
      const running = await sse.waitFor(is('busy', 'running'));
      expect(ws(running).stateReason).toBeUndefined();
      expect(await httpGet(port)).toBe('x');
      sse.close();
    } finally {
      blocker.close();
      await bad.close();
    }
  });
});

describe('ssh-pass', () => {
  it('creates a pass (also for a stopped workspace) pointing at the gateway with its pinned host key', async () => {
    const key = generateEd25519KeyPair('me@laptop');
    const t0 = Date.now();
    const r = await req('/api/v1/workspaces/ws-api/ssh-pass', { body: { publicKey: key.publicKey } });
    expect(r.status).toBe(201);
    const pass = r.json as SshPass;
    const [host, port] = srv.gateway.split(':');
    expect(pass.user).toBe('ws-api');
    expect(pass.gateway).toEqual({ host, port: Number(port) });
    expect(pass.gateway.port).toBeGreaterThan(0);
    const hostKeyLine = fs
      .readFileSync(path.join(srv.dataDir, 'gateway_host_ed25519_key.pub'), 'utf8')
      .trim()
      .split(' ')
      .slice(0, 2)
      .join(' ');
    expect(pass.hostKeys).toEqual([hostKeyLine]);
    const ttl = Date.parse(pass.expiresAt) - t0;
    expect(ttl).toBeGreaterThan(599_000);
    expect(ttl).toBeLessThan(601_000);
    expect(pass.workdir).toBe(((await req('/api/v1/workspaces/ws-api')).json as Workspace).workdir);
    const state = JSON.parse(stateFile()) as { passes: { workspaceId: string; key: string }[] };
    expect(state.passes).toContainEqual(
      expect.objectContaining({ workspaceId: 'ws-api', key: key.publicKey.split(' ').slice(0, 2).join(' ') }),
    );

    const del = await req('/api/v1/workspaces/ws-api/ssh-pass', {
      method: 'DELETE',
      body: { publicKey: key.publicKey },
    });
    expect(del.status).toBe(204);
    const after = JSON.parse(stateFile()) as { passes: { revokedAt?: number }[] };
    expect(after.passes.at(-1)?.revokedAt).toBeTypeOf('number');
  });
});
