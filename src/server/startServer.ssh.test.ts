// End to end through the whole local server: a pass from the HTTPS control plane, then the real
// OpenSSH client through the gateway with the pinned host key. The store decides who gets in.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshPass, Workspace } from '../shared/protocol.js';
import { httpsRequest } from './testing/httpsRequest.js';
import { runProcess } from './testing/runProcess.js';
import type { TestServer } from './testing/serverFixture.js';
import { API_PAGE, startTestServer } from './testing/serverFixture.js';
import type { SshClientConfig } from './testing/sshClientConfig.js';
import { writeSshClientConfig } from './testing/sshClientConfig.js';
import { freePort } from './workspaceCatalog.js';

let skew = 0;
let srv: TestServer;
let token: string;
let tmp: string;
const logs: string[] = [];
const call = (p: string, o: Parameters<typeof httpsRequest>[3] = {}) =>
  httpsRequest(srv.endpoint, srv.ca, p, { token, ...o });

async function waitState(id: string, state: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (((await call(`/api/v1/workspaces/${id}`)).json as Workspace).state === state) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${id} never became ${state}`);
}

/** A fresh key with a pass for `workspace`, and an ssh config logging in as `user`. */
async function client(
  name: string,
  workspace: string,
  user = workspace,
): Promise<{ cfg: SshClientConfig; pass: SshPass }> {
  const probe = writeSshClientConfig({ dir: path.join(tmp, name), port: 1, user, hostPublicKey: 'x' });
  const r = await call(`/api/v1/workspaces/${workspace}/ssh-pass`, {
    body: { publicKey: probe.keyPair.publicKey },
  });
  expect(r.status).toBe(201);
  const pass = r.json as SshPass;
  const cfg = writeSshClientConfig({
    dir: path.join(tmp, name),
    port: pass.gateway.port,
    user,
    hostPublicKey: pass.hostKeys[0]!,
    keyPair: probe.keyPair,
  });
  return { cfg, pass };
}

const ssh = (cfg: SshClientConfig, ...args: string[]) =>
  runProcess('ssh', ['-F', cfg.configFile, cfg.host, ...args]);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-ssh-'));
  srv = await startTestServer({
    now: () => Date.now() + skew,
    passTtlSeconds: 600,
    log: (l) => logs.push(l),
  });
  token = await srv.token();
  await call('/api/v1/workspaces/ws-api/start', { method: 'POST' });
  await waitState('ws-api', 'running');
});
afterAll(async () => {
  await srv?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("direct-tcpip reaches only the workspace's declared ports", () => {
  it('refuses the control plane, the gateway itself and an undeclared port; the declared one works', async () => {
    const { cfg } = await client('w', 'ws-api');
    const w = (port: number | string) =>
      runProcess('ssh', ['-F', cfg.configFile, '-o', 'BatchMode=yes', '-W', `127.0.0.1:${port}`, cfg.host], {
        timeoutMs: 30_000,
      });
    const controlPlane = new URL(srv.endpoint).port;
    const gateway = srv.gateway.split(':').at(-1)!;
    const undeclared = await freePort();
    for (const port of [controlPlane, gateway, undeclared]) {
      const r = await w(port);
      expect(r.code, `port ${port}`).not.toBe(0);
      expect(r.stderr).toMatch(/open failed|administratively prohibited|forwarding failed/);
    }
    expect(logs.join('\n')).toMatch(
      /refused forward to "127\.0\.0\.1":\d+ .*not one of the workspace's ports/,
    );
    const ok = await runProcess(
      'sh',
      [
        '-c',
        `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | ssh -F '${cfg.configFile}' -W 127.0.0.1:${srv.apiPort} ${cfg.host}`,
      ],
      { timeoutMs: 30_000 },
    );
    expect(ok.stdout).toContain(API_PAGE);
  });
});

describe('ssh through the gateway with a pass', () => {
  it('runs a command in the workspace directory, with the pinned host key', async () => {
    const { cfg, pass } = await client('a', 'ws-api');
    expect(`${pass.gateway.host}:${pass.gateway.port}`).toBe(srv.gateway);
    const r = await ssh(cfg, 'pwd');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(fs.realpathSync(pass.workdir));
  });

  it('ssh -L reaches the workspace demo page', async () => {
    const { cfg } = await client('fwd', 'ws-api');
    const local = await freePort();
    const child = spawn(
      'ssh',
      [
        '-F',
        cfg.configFile,
        '-N',
        '-o',
        'ExitOnForwardFailure=yes',
        '-L',
        `${local}:127.0.0.1:${srv.apiPort}`,
        cfg.host,
      ],
      { stdio: 'ignore' },
    );
    try {
      let body: string | undefined;
      for (let i = 0; i < 100 && body === undefined; i++) {
        body = await new Promise<string | undefined>((resolve) => {
          http
            .get({ host: '127.0.0.1', port: local, path: '/', agent: false }, (res) => {
              let b = '';
              res.on('data', (c: Buffer) => (b += c.toString()));
              res.on('end', () => resolve(b));
            })
            .on('error', () => setTimeout(() => resolve(undefined), 50));
        });
      }
      expect(body).toBe(API_PAGE);
    } finally {
      child.kill();
    }
  });

  it('refuses a key registered for another workspace, and logs why', async () => {
    const { cfg } = await client('other', 'ws-web', 'ws-api');
    const r = await ssh(cfg, 'true');
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/Permission denied/);
    expect(logs.join('\n')).toMatch(/another workspace/);
  });

  it('refuses a revoked pass', async () => {
    const { cfg } = await client('revoked', 'ws-api');
    expect((await ssh(cfg, 'true')).code).toBe(0);
    const del = await call('/api/v1/workspaces/ws-api/ssh-pass', {
      method: 'DELETE',
      body: { publicKey: cfg.keyPair.publicKey },
    });
    expect(del.status).toBe(204);
    expect((await ssh(cfg, 'true')).code).toBe(255);
    expect(logs.join('\n')).toMatch(/revoked/);
  });

  it('after the pass expires a new connection is refused while an established one goes on', async () => {
    const { cfg } = await client('expiry', 'ws-api');
    const child = spawn('ssh', ['-F', cfg.configFile, cfg.host, 'echo ready; read line; echo "got $line"'], {
      stdio: 'pipe',
    });
    let out = '';
    const ready = new Promise<void>((resolve) =>
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.startsWith('ready\n')) resolve();
      }),
    );
    try {
      // Established: the remote shell has answered and waits on stdin.
      await ready;
      skew += 601_000;
      const late = await ssh(cfg, 'true');
      expect(late.code).toBe(255);
      expect(logs.join('\n')).toMatch(/expired/);
      child.stdin.end('hello\n');
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect(out).toBe('ready\ngot hello\n');
      expect(code).toBe(0);
    } finally {
      skew -= 601_000;
      child.kill();
    }
  });

  it('stopping the workspace ends its sessions and refuses new ones', async () => {
    const { cfg } = await client('stop', 'ws-api');
    const child = spawn('ssh', ['-F', cfg.configFile, cfg.host, 'sleep 30'], { stdio: 'ignore' });
    const closed = new Promise<number | null>((r) => child.on('close', r));
    try {
      await new Promise((r) => setTimeout(r, 500));
      await call('/api/v1/workspaces/ws-api/stop', { method: 'POST' });
      const code = await Promise.race([
        closed,
        new Promise<string>((r) => setTimeout(() => r('still open'), 8000)),
      ]);
      expect(code).not.toBe('still open');
      await waitState('ws-api', 'stopped');
      expect((await ssh(cfg, 'true')).code).toBe(255);
      expect(logs.join('\n')).toMatch(/not running/);
    } finally {
      child.kill();
    }
  });
});
