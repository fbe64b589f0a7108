// ApiClient's transport rules against real HTTPS servers on 127.0.0.1: what it refuses to
// connect to, and how each kind of failure reaches the user.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RuncodeError } from '../errors.js';
import type { HostileServer } from '../testing/hostileServer.js';
import { startHostileServer } from '../testing/hostileServer.js';
import { sampleWorkspace } from '../testing/wireSamples.js';
import { ApiClient } from './apiClient.js';
import { refusal } from '../testing/refusal.js';

let srv: HostileServer;
const clients: ApiClient[] = [];
function client(opts: Partial<ConstructorParameters<typeof ApiClient>[0]> = {}): ApiClient {
  const c = new ApiClient({ endpoint: srv.endpoint, ca: srv.ca, token: 'tok-secret-123', ...opts });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  srv = await startHostileServer();
});
afterAll(async () => {
  await srv.close();
});
afterEach(() => {
  srv.reset();
  for (const c of clients.splice(0)) c.close();
});

describe('endpoint checks at construction', () => {
  it.each([
    ['http:', 'http://127.0.0.1:8080', 'insecure_endpoint'],
    ['ftp:', 'ftp://example.com', 'bad_endpoint'],
    ['credentials', 'https://user:pw@example.com', 'bad_endpoint'],
    ['a query', 'https://example.com/?x=1', 'bad_endpoint'],
    ['an empty query', 'https://example.com/?', 'bad_endpoint'],
    ['a fragment', 'https://example.com/#top', 'bad_endpoint'],
    ['not a URL', 'example.com', 'bad_endpoint'],
  ])('refuses %s', (_what, endpoint, code) => {
    let err: unknown;
    try {
      new ApiClient({ endpoint });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RuncodeError);
    expect((err as RuncodeError).code).toBe(code);
  });

  it('says why http: is refused', () => {
    expect(() => new ApiClient({ endpoint: 'http://127.0.0.1:1' })).toThrow(/HTTPS only/);
  });

  it('refuses a CA file that is missing or holds no certificate', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-ca-'));
    try {
      fs.writeFileSync(path.join(dir, 'junk.pem'), 'not a certificate');
      expect(() => new ApiClient({ endpoint: srv.endpoint, caFile: path.join(dir, 'nope.pem') })).toThrow(
        /nope\.pem/,
      );
      expect(() => new ApiClient({ endpoint: srv.endpoint, caFile: path.join(dir, 'junk.pem') })).toThrow(
        /no PEM certificate/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('requests', () => {
  it('sends the bearer token, percent-encodes ids, and reuses one connection', async () => {
    srv.on('GET', /^\/api\/v1\/workspaces\/[^/]+$/, { json: sampleWorkspace({ id: 'a.b_c-d' }) });
    const c = client({ caFile: srv.caFile, ca: undefined });
    await c.getWorkspace('a.b_c-d');
    await c.getWorkspace('a.b_c-d');
    expect(srv.requests.map((r) => r.url)).toEqual([
      '/api/v1/workspaces/a.b_c-d',
      '/api/v1/workspaces/a.b_c-d',
    ]);
    expect(srv.requests[0]!.headers.authorization).toBe('Bearer tok-secret-123');
    expect(srv.requests[1]!.headers.connection).toBe('keep-alive');
  });

  it('refuses an id that could escape its path before sending anything', async () => {
    for (const id of ['..', '.', 'a/b', 'a?b', '', 'x'.repeat(129)]) {
      expect((await refusal(client().getWorkspace(id))).code).toBe('invalid_argument');
    }
    expect(srv.requests).toEqual([]);
  });

  it('asks the token getter each time and refuses to call without a token', async () => {
    srv.on('GET', '/api/v1/me', { json: { id: 'u1', email: 'a@b.c', name: 'A' } });
    let token: string | undefined = 'first-token-abc';
    const c = client({ token: () => token });
    await c.me();
    token = 'second-token-def';
    await c.me();
    expect(srv.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer first-token-abc',
      'Bearer second-token-def',
    ]);
    token = undefined;
    expect((await refusal(c.me())).code).toBe('not_signed_in');
    token = 'evil\r\nX-Injected: 1';
    expect((await refusal(c.me())).code).toBe('not_signed_in');
    expect(srv.requests.length).toBe(2);
  });

  it('maps 401 to unauthorized (sign in again) with the server message, never the token', async () => {
    srv.on('GET', '/api/v1/workspaces', {
      status: 401,
      json: { error: { code: 'bad_token', message: 'expired' } },
    });
    const e = await refusal(client().listWorkspaces());
    expect(e.code).toBe('unauthorized');
    expect(e.message).toMatch(/sign in again/);
    expect(e.message).toMatch(/expired/);
    expect(e.message).not.toMatch(/tok-secret/);
  });

  it.each([
    [404, 'not_found'],
    [403, 'forbidden'],
    [409, 'conflict'],
    [400, 'request_refused'],
    [503, 'server_error'],
    [302, 'bad_response'],
  ])('maps HTTP %i to %s', async (status, code) => {
    srv.on('POST', '/api/v1/workspaces/ws-1/start', {
      status,
      json: { error: { code: 'x', message: 'nope' } },
    });
    expect((await refusal(client().startWorkspace('ws-1'))).code).toBe(code);
  });

  it('does not echo a hostile error message with control characters', async () => {
    srv.on('GET', '/api/v1/me', { status: 404, json: { error: { code: 'x', message: 'a\n\u001b[31mred' } } });
    const e = await refusal(client().me());
    expect(e.code).toBe('not_found');
    expect(e.message).not.toMatch(/red/);
  });

  it('times out on a server that never answers', async () => {
    srv.on('GET', '/api/v1/workspaces', { hang: true });
    // The server never answers: only the client's own timer can end this before the test's timeout.
    const e = await refusal(client({ timeoutMs: 300 }).listWorkspaces());
    expect(e.code).toBe('timeout');
    expect(e.message).toContain(srv.endpoint);
  });

  it('refuses a huge body, declared or streamed', async () => {
    const huge = JSON.stringify({ workspaces: [], pad: 'x'.repeat(3 * 1024 * 1024) });
    srv.on('GET', '/api/v1/workspaces', { raw: huge, headers: { 'content-type': 'application/json' } });
    const declared = await refusal(client().listWorkspaces());
    expect([declared.code, declared.message]).toEqual([
      'bad_response',
      expect.stringMatching(/larger than 1024 KiB/),
    ]);
    srv.on('GET', '/api/v1/workspaces', {
      raw: huge,
      chunked: true,
      headers: { 'content-type': 'application/json' },
    });
    const streamed = await refusal(client().listWorkspaces());
    expect([streamed.code, streamed.message]).toEqual(['bad_response', expect.stringMatching(/larger than/)]);
  });

  it('refuses a wrong content type and invalid JSON', async () => {
    srv.on('GET', '/api/v1/workspaces', {
      raw: '{"workspaces":[]}',
      headers: { 'content-type': 'text/html' },
    });
    const e = await refusal(client().listWorkspaces());
    expect([e.code, e.message]).toEqual(['bad_response', expect.stringMatching(/text\/html.*not JSON/)]);
    srv.on('GET', '/api/v1/workspaces', {
      raw: '{"workspaces":[',
      headers: { 'content-type': 'application/json' },
    });
    expect((await refusal(client().listWorkspaces())).message).toMatch(/not valid JSON/);
  });

  it('refuses an answer about a different workspace than asked', async () => {
    srv.on('GET', '/api/v1/workspaces/ws-1', { json: sampleWorkspace({ id: 'ws-2' }) });
    expect((await refusal(client().getWorkspace('ws-1'))).message).toMatch(/workspace\.id "ws-2"/);
  });
});

describe('TLS and reachability', () => {
  it('refuses a certificate it does not trust, and says to pass --ca', async () => {
    srv.on('GET', '/api/v1/me', { json: { id: 'u1', email: 'a@b.c', name: 'A' } });
    const e = await refusal(client({ ca: undefined }).me());
    expect(e.code).toBe('tls');
    expect(e.message).toMatch(/not trusted.*--ca/);
    expect(srv.requests).toEqual([]);
  });

  it('refuses a certificate for another name', async () => {
    const c = client({ endpoint: srv.endpoint.replace('127.0.0.1', '127.0.0.2') });
    const e = await refusal(c.me());
    // On hosts where 127.0.0.2 is not routable this is unreachable instead; both are refusals.
    expect(['tls', 'unreachable']).toContain(e.code);
  });

  it('says when the endpoint does not speak HTTPS', async () => {
    const plain = http.createServer((_q, s) => s.end('hi'));
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    try {
      const port = (plain.address() as AddressInfo).port;
      const e = await refusal(client({ endpoint: `https://127.0.0.1:${port}` }).me());
      expect(e.code).toBe('tls');
      expect(e.message).toMatch(/HTTPS/);
    } finally {
      plain.close();
    }
  });

  it('names the endpoint when nothing listens there', async () => {
    const tmp = http.createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
    const port = (tmp.address() as AddressInfo).port;
    await new Promise<void>((r) => tmp.close(() => r()));
    const e = await refusal(client({ endpoint: `https://127.0.0.1:${port}` }).me());
    expect(e.code).toBe('unreachable');
    expect(e.message).toContain(`https://127.0.0.1:${port}`);
  });
});
