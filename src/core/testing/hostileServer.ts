// A fake control plane whose every answer a test scripts: the hostile or broken backend of
// issue 3's threat model. HTTPS on 127.0.0.1:0 with its own test CA. It records each request so
// a test can also check what the client sent (and that it sent nothing it should not).
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestTls } from './testTls.js';
import { createTestTls } from './testTls.js';

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as sent, e.g. `/api/v1/workspaces/a%2Fb`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface ScriptedAnswer {
  status?: number;
  /** Serialised as JSON with `content-type: application/json` unless `raw` is given. */
  json?: unknown;
  /** Sent as is; set `headers['content-type']` yourself. */
  raw?: string | Buffer;
  headers?: Record<string, string>;
  /** Stream the body chunked, without a content-length (so only a streaming cap can stop it). */
  chunked?: boolean;
  /** Accept the request and never answer (until close). */
  hang?: boolean;
}

export type Script = ScriptedAnswer | ((req: RecordedRequest) => ScriptedAnswer | Promise<ScriptedAnswer>);

export interface HostileServer {
  endpoint: string;
  /** PEM of the CA the server's certificate chains to. */
  ca: string;
  /** The same CA in a file (removed on close), for code that takes `--ca FILE`. */
  caFile: string;
  requests: RecordedRequest[];
  /** Scripts the answer to `METHOD path` (exact path without query, or a RegExp on it). */
  on(method: string, route: string | RegExp, script: Script): void;
  /** Forgets every script and recorded request. */
  reset(): void;
  close(): Promise<void>;
}

interface Route {
  method: string;
  route: string | RegExp;
  script: Script;
}

export async function startHostileServer(opts: { tls?: TestTls } = {}): Promise<HostileServer> {
  const tls = opts.tls ?? (await createTestTls());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-hostile-'));
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, tls.ca);
  let routes: Route[] = [];
  const requests: RecordedRequest[] = [];

  const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: { ...req.headers },
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(rec);
      const pathname = rec.url.split('?')[0]!;
      const route = [...routes]
        .reverse()
        .find(
          (r) =>
            r.method === rec.method &&
            (typeof r.route === 'string' ? r.route === pathname : r.route.test(pathname)),
        );
      const answer = async (): Promise<ScriptedAnswer> =>
        !route
          ? { status: 404, json: { error: { code: 'not_found', message: 'no such route (unscripted)' } } }
          : typeof route.script === 'function'
            ? route.script(rec)
            : route.script;
      void answer().then(
        (a) => send(res, a),
        (e: unknown) => send(res, { status: 500, json: { error: { code: 'internal', message: String(e) } } }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `https://127.0.0.1:${port}`,
    ca: tls.ca,
    caFile,
    requests,
    on(method, route, script) {
      routes.push({ method, route, script });
    },
    reset() {
      routes = [];
      requests.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function send(res: ServerResponse, a: ScriptedAnswer): void {
  if (a.hang) return;
  const body =
    a.raw !== undefined
      ? Buffer.from(a.raw)
      : a.json !== undefined
        ? Buffer.from(JSON.stringify(a.json))
        : undefined;
  const headers: Record<string, string> = {
    ...(a.json !== undefined && a.raw === undefined ? { 'content-type': 'application/json' } : {}),
    ...a.headers,
  };
  if (!a.chunked && body) headers['content-length'] = String(body.length);
  res.writeHead(a.status ?? 200, headers);
  if (!body) return void res.end();
  if (!a.chunked) return void res.end(body);
  // Write in pieces so the client sees a stream, and stop quietly once it hangs up.
  const piece = 64 * 1024;
  let off = 0;
  const pump = () => {
    while (off < body.length) {
      const ok = res.write(body.subarray(off, off + piece));
      off += piece;
      if (!ok) return void res.once('drain', pump);
    }
    res.end();
  };
  res.on('close', () => (off = body.length));
  pump();
}
