// The SSE client against a small local HTTPS fake, for what a real server does not do on
// purpose: malformed and huge streams, silence, refusals.
import type http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuncodeError } from '../errors.js';
import type { TestTls } from '../testing/testTls.js';
import { createTestTls } from '../testing/testTls.js';
import type { SseEvent } from './sseParser.js';
import type { SseClientOptions } from './sseClient.js';
import { SseClient } from './sseClient.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

let tlsMaterial: TestTls;
let server: https.Server;
let endpoint: string;
let handler: Handler = (_q, res) => res.end();
const seen: http.IncomingHttpHeaders[] = [];
const urls: string[] = [];

beforeAll(async () => {
  tlsMaterial = await createTestTls();
  server = https.createServer({ cert: tlsMaterial.cert, key: tlsMaterial.key }, (req, res) => {
    seen.push(req.headers);
    urls.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const sse = (res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream' });

function client(extra: Partial<SseClientOptions> = {}): SseClient {
  return new SseClient({ endpoint, path: '/api/v1/events', ca: tlsMaterial.ca, token: 'tok-123', ...extra });
}

/** Runs one connection to its end; resolves with what happened. */
function run(
  c: SseClient,
): Promise<{ opened: boolean; events: SseEvent[]; comments: string[]; reason: RuncodeError }> {
  return new Promise((resolve) => {
    const events: SseEvent[] = [];
    const comments: string[] = [];
    let opened = false;
    c.connect({
      onOpen: () => (opened = true),
      onEvent: (e) => events.push(e),
      onComment: (t) => comments.push(t),
      onClose: (reason) => resolve({ opened, events, comments, reason }),
    });
  });
}

describe('SseClient', () => {
  it('refuses a plain-http endpoint', () => {
    expect(() => new SseClient({ endpoint: 'http://127.0.0.1:1', path: '/e' })).toThrow(
      expect.objectContaining({ code: 'insecure_endpoint' }),
    );
  });

  it('streams events with the bearer token and resumes with Last-Event-ID', async () => {
    handler = (_q, res) => {
      sse(res);
      res.write('retry: 1234\n\n: hi\n\nid: 41\nevent: workspace\ndata: {"x":\ndata: 1}\n\n');
      res.end('id: 42\ndata: two\n\n');
    };
    // A trailing slash on the endpoint must not turn into `//api/...`.
    const c = client({ endpoint: endpoint + '/' });
    try {
      const first = await run(c);
      expect(first.opened).toBe(true);
      expect(first.comments).toEqual(['hi']);
      expect(first.events).toEqual([
        { id: '41', type: 'workspace', data: '{"x":\n1}' },
        { id: '42', type: 'message', data: 'two' },
      ]);
      expect(first.reason.code).toBe('stream_ended');
      expect(c.retryMs).toBe(1234);
      expect(c.lastEventId).toBe('42');
      const h = seen.at(-1)!;
      expect(h.authorization).toBe('Bearer tok-123');
      expect(h.accept).toBe('text/event-stream');
      expect(urls.at(-1)).toBe('/api/v1/events');
      expect(h['last-event-id']).toBeUndefined();
      await run(c);
      expect(seen.at(-1)!['last-event-id']).toBe('42');
    } finally {
      c.dispose();
    }
  });

  it('maps a 401 with an error body to unauthorized', async () => {
    handler = (_q, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'invalid_token', message: 'token revoked' } }));
    };
    const c = client();
    try {
      const r = await run(c);
      expect(r.opened).toBe(false);
      expect(r.reason.code).toBe('unauthorized');
      expect(r.reason.message).toContain('token revoked');
    } finally {
      c.dispose();
    }
  });

  it('refuses a 200 that is not an event stream', async () => {
    handler = (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>captive portal</html>');
    };
    const c = client();
    try {
      const r = await run(c);
      expect(r.opened).toBe(false);
      expect(r.reason.code).toBe('bad_stream');
      expect(r.reason.message).toContain('text/html');
    } finally {
      c.dispose();
    }
  });

  it('refuses a huge event and keeps the resume point before it', async () => {
    handler = (_q, res) => {
      sse(res);
      res.write('id: 1\ndata: small\n\n');
      const line = 'data: ' + 'x'.repeat(60_000) + '\n';
      // Keeps writing an event that never ends; the client must cut it off.
      const timer = setInterval(() => res.write(line), 1);
      res.on('close', () => clearInterval(timer));
    };
    const c = client({ limits: { maxEventBytes: 200_000 } });
    try {
      const r = await run(c);
      expect(r.events.map((e) => e.data)).toEqual(['small']);
      expect(r.reason.code).toBe('bad_stream');
      expect(r.reason.message).toMatch(/larger than 195 KiB/);
      expect(c.lastEventId).toBe('1');
    } finally {
      c.dispose();
    }
  });

  it('refuses a line that never ends', async () => {
    handler = (_q, res) => {
      sse(res);
      const timer = setInterval(() => res.write('y'.repeat(50_000)), 1);
      res.on('close', () => clearInterval(timer));
    };
    const c = client({ limits: { maxLineBytes: 100_000 } });
    try {
      expect((await run(c)).reason.message).toMatch(/line longer than/);
    } finally {
      c.dispose();
    }
  });

  it('declares a silent stream dead after the idle timeout, but not one that sends heartbeats', async () => {
    // 30 heartbeats 100 ms apart (3 s) outlast the 1 s idle timeout three times over, then silence.
    // Counted, not timed: a loaded machine stretches the gaps, but not to the 1 s that would matter.
    const BEATS = 30;
    handler = (_q, res) => {
      sse(res);
      res.write('data: hello\n\n');
      let sent = 0;
      const timer = setInterval(() => sent++ < BEATS && res.write(': beat\n\n'), 100);
      res.on('close', () => clearInterval(timer));
    };
    const c = client({ idleTimeoutMs: 1_000 });
    try {
      const r = await run(c);
      // Every heartbeat arrived before the end, so they kept it alive; the silence after killed it.
      expect(r.comments).toHaveLength(BEATS);
      expect(r.reason.code).toBe('stream_stalled');
    } finally {
      c.dispose();
    }
  });

  it('declares dead a server that accepts but never answers', async () => {
    handler = () => {
      // Never writes a status line.
    };
    const c = client({ idleTimeoutMs: 300 });
    try {
      const r = await run(c);
      expect(r.opened).toBe(false);
      expect(r.reason.code).toBe('stream_stalled');
    } finally {
      c.dispose();
    }
  });

  it('says tls when the certificate is not trusted, unreachable when nothing listens', async () => {
    const untrusted = new SseClient({ endpoint, path: '/e' });
    const nothing = new SseClient({ endpoint: 'https://127.0.0.1:1', path: '/e', ca: tlsMaterial.ca });
    try {
      expect((await run(untrusted)).reason.code).toBe('tls');
      expect((await run(nothing)).reason.code).toBe('unreachable');
    } finally {
      untrusted.dispose();
      nothing.dispose();
    }
  });

  it('says not_signed_in, without a request, when the token source has no token', async () => {
    const before = urls.length;
    const c = client({ token: () => undefined });
    try {
      expect((await run(c)).reason.code).toBe('not_signed_in');
      expect(urls.length).toBe(before);
    } finally {
      c.dispose();
    }
  });

  it('close() ends the connection without onClose', async () => {
    let closedByServer = false;
    handler = (req, res) => {
      sse(res);
      res.write(': open\n\n');
      req.on('close', () => (closedByServer = true));
    };
    const c = client();
    let onClose = 0;
    const opened = new Promise<void>((resolve) => {
      const conn = c.connect({
        onOpen: () => {
          resolve();
          setTimeout(() => conn.close(), 20);
        },
        onEvent: () => {},
        onClose: () => onClose++,
      });
    });
    try {
      await opened;
      await until(() => closedByServer);
      expect(onClose).toBe(0);
    } finally {
      c.dispose();
    }
  });
});

async function until(cond: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
