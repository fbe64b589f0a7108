// The real SSH gateway (src/server/gateway.ts) with an in-memory backend, in its own process,
// driven over Node's IPC channel. Used by the forward benchmark (so the gateway does not share
// a thread with the client being measured) and by core's forward tests (core may not import
// server code; a child process is the layer line made physical).
//
// Start with `child_process.fork('bench/lib/gatewayHost.ts', { execArgv: ['--import', 'tsx'] })`;
// the child sends {type:'ready', ...GatewayHostInfo}; then send {id, cmd, ...args}, it answers
// {id, ok, result?, error?}. The workspace "demo" (user `demo`) runs these services on its loopback:
//   http   GET / -> DEMO_PAGE; GET /bytes/N -> N bytes
//   echo   writes back whatever it reads
//   source reads a decimal byte count and a newline, sends that many bytes, ends
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startGateway } from '../../src/server/gateway.js';
import type { Gateway } from '../../src/server/gateway.js';
import { ensureHostKey } from '../../src/server/hostKey.js';
import { MemoryBackend } from '../../src/server/testing/memoryBackend.js';
import { parseEd25519PublicKey } from '../../src/core/ssh/opensshKey.js';

export const DEMO_PAGE = '<!doctype html><title>demo</title><h1>hello from the demo workspace</h1>\n';

export interface GatewayHostInfo {
  gatewayPort: number;
  hostPublicKey: string;
  user: string;
  dir: string;
  ports: { http: number; echo: number; source: number };
}

const CHUNK = Buffer.alloc(256 * 1024, 'x');

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

/** Writes `n` bytes with backpressure, then ends. */
function sendBytes(out: NodeJS.WritableStream & { destroyed?: boolean }, n: number): void {
  let left = n;
  const pump = (): void => {
    while (left > 0) {
      const len = Math.min(left, CHUNK.length);
      left -= len;
      if (!out.write(len === CHUNK.length ? CHUNK : CHUNK.subarray(0, len))) {
        out.once('drain', pump);
        return;
      }
    }
    out.end();
  };
  pump();
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-gwhost-'));
  const dir = path.join(root, 'demo');
  fs.mkdirSync(dir);
  const backend = new MemoryBackend();
  backend.addWorkspace({ id: 'ws-demo', name: 'demo', dir });
  const hostKey = ensureHostKey(path.join(root, 'server'));

  const web = http.createServer((req, res) => {
    const m = /^\/bytes\/(\d+)$/.exec(req.url ?? '');
    if (m) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': m[1] });
      sendBytes(res, Number(m[1]));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(DEMO_PAGE);
  });
  const echo = net.createServer({ noDelay: true }, (s) => {
    s.on('error', () => s.destroy());
    s.pipe(s);
  });
  const source = net.createServer({ noDelay: true }, (s) => {
    s.on('error', () => s.destroy());
    let line = '';
    const onData = (b: Buffer): void => {
      line += b.toString('latin1');
      const nl = line.indexOf('\n');
      if (nl < 0) return;
      s.off('data', onData);
      s.resume();
      sendBytes(s, Number(line.slice(0, nl)));
    };
    s.on('data', onData);
  });
  const ports = { http: await listen(web), echo: await listen(echo), source: await listen(source) };

  let gateway: Gateway | undefined = await startGateway({ backend, hostKey: hostKey.privateKey });
  const gatewayPort = gateway.port;
  const blobOf = (line: string): Buffer => {
    const k = parseEd25519PublicKey(line);
    if (!k) throw new Error('not an ssh-ed25519 public key');
    return k.blob;
  };

  const commands: Record<string, (a: Record<string, unknown>) => Promise<unknown> | unknown> = {
    registerKey: (a) =>
      backend.registerKey('ws-demo', blobOf(String(a.publicKey)), Date.now() + Number(a.ttlMs ?? 3_600_000)),
    expireKey: (a) => backend.expireKey(blobOf(String(a.publicKey))),
    stopWorkspace: () => backend.stopWorkspace('ws-demo'),
    startWorkspace: () => backend.startWorkspace('ws-demo'),
    stopGateway: async () => {
      await gateway?.close();
      gateway = undefined;
    },
    startGateway: async () => {
      gateway ??= await startGateway({ backend, hostKey: hostKey.privateKey, port: gatewayPort });
    },
    exit: async () => {
      await gateway?.close();
      for (const s of [web, echo, source]) s.close();
      fs.rmSync(root, { recursive: true, force: true });
      setImmediate(() => process.exit(0));
    },
  };

  process.on('message', (msg: { id: number; cmd: string } & Record<string, unknown>) => {
    void (async () => {
      try {
        const fn = commands[msg.cmd];
        if (!fn) throw new Error(`unknown command ${msg.cmd}`);
        const result = await fn(msg);
        process.send?.({ id: msg.id, ok: true, result });
      } catch (e) {
        process.send?.({ id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) });
      }
    })();
  });
  // The parent went away: do not linger.
  process.on('disconnect', () => {
    void commands.exit?.({});
  });
  const info: GatewayHostInfo = { gatewayPort, hostPublicKey: hostKey.publicKey, user: 'demo', dir, ports };
  process.send?.({ type: 'ready', ...info });
}

void main();
