// Issue 11.4: a thousand idle sockets on each port (a local process can open them for free) do
// not keep a real client from signing in and connecting, and the server does not hold them all:
// past its cap the oldest that never finished a handshake are dropped.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshPass } from '../shared/protocol.js';
import { MAX_CONNECTIONS } from './startServer.js';
import { httpsRequest } from './testing/httpsRequest.js';
import { runProcess } from './testing/runProcess.js';
import type { TestServer } from './testing/serverFixture.js';
import { startTestServer } from './testing/serverFixture.js';
import { writeSshClientConfig } from './testing/sshClientConfig.js';

const FLOOD = 1000;
let srv: TestServer;
let tmp: string;
const flood: net.Socket[] = [];

/** Opens `n` idle sockets to `port`; resolves once all are connected, with a count of those the server closed. */
async function idleSockets(port: number, n: number): Promise<{ closed: () => number }> {
  let closed = 0;
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((resolve) => {
          const s = net.connect({ host: '127.0.0.1', port }, () => resolve());
          s.on('error', () => resolve());
          s.on('close', () => closed++);
          s.resume(); // read what the server says (the gateway's banner), or its close is never seen
          flood.push(s);
        }),
    ),
  );
  return { closed: () => closed };
}

const until = async (what: string, cond: () => boolean) => {
  for (let i = 0; i < 3000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error(`never: ${what}`);
};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-flood-'));
  srv = await startTestServer();
});
afterAll(async () => {
  for (const s of flood) s.destroy();
  await srv?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a flood of idle connections', () => {
  it(`${FLOOD} idle sockets on each port: a real client still signs in and connects; the rest are dropped`, async () => {
    const controlPort = Number(new URL(srv.endpoint).port);
    const gatewayPort = Number(srv.gateway.split(':').at(-1));
    const cp = await idleSockets(controlPort, FLOOD);
    const gw = await idleSockets(gatewayPort, FLOOD);

    const token = await srv.token();
    const call = (p: string, o: Parameters<typeof httpsRequest>[3] = {}) =>
      httpsRequest(srv.endpoint, srv.ca, p, { token, ...o });
    expect((await call('/api/v1/workspaces/ws-api/start', { method: 'POST' })).status).toBe(202);
    const probe = writeSshClientConfig({ dir: tmp, port: 1, user: 'api', hostPublicKey: 'x' });
    let pass: SshPass | undefined;
    for (let i = 0; i < 1000 && !pass; i++) {
      const r = await call('/api/v1/workspaces/ws-api', {});
      if ((r.json as { state?: string }).state !== 'running') {
        await new Promise((res) => setTimeout(res, 20));
        continue;
      }
      const p = await call('/api/v1/workspaces/ws-api/ssh-pass', {
        body: { publicKey: probe.keyPair.publicKey },
      });
      if (p.status === 201) pass = p.json as SshPass;
    }
    expect(pass).toBeDefined();
    const cfg = writeSshClientConfig({
      dir: tmp,
      port: gatewayPort,
      user: pass!.user,
      hostPublicKey: pass!.hostKeys[0]!,
      keyPair: probe.keyPair,
    });
    const r = await runProcess(
      'ssh',
      ['-F', cfg.configFile, '-o', 'BatchMode=yes', cfg.host, 'echo connected'],
      {
        timeoutMs: 90_000,
      },
    );
    expect(r.stdout.trim(), r.stderr).toBe('connected');

    // Held at most up to the cap: the server dropped the rest of the flood on each port.
    await until('control plane drops', () => cp.closed() >= FLOOD - MAX_CONNECTIONS);
    await until('gateway drops', () => gw.closed() >= FLOOD - MAX_CONNECTIONS);
  }, 180_000);
});
