// Issue 11.3: a revoked pass ends the connections made with its key, a ControlMaster included
// (before, `runcode logout` left a master that still ran commands); an expired one does not
// (DESIGN.md: expiry is checked at authentication). The real OpenSSH client throughout.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshPass, Workspace } from '../shared/protocol.js';
import { httpsRequest } from './testing/httpsRequest.js';
import { runProcess } from './testing/runProcess.js';
import type { TestServer } from './testing/serverFixture.js';
import { startTestServer } from './testing/serverFixture.js';
import type { SshClientConfig } from './testing/sshClientConfig.js';
import { writeSshClientConfig } from './testing/sshClientConfig.js';

let skew = 0;
let srv: TestServer;
let token: string;
let tmp: string;
const children: ChildProcess[] = [];
const call = (p: string, o: Parameters<typeof httpsRequest>[3] = {}) =>
  httpsRequest(srv.endpoint, srv.ca, p, { token, ...o });

async function waitState(id: string, state: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (((await call(`/api/v1/workspaces/${id}`)).json as Workspace).state === state) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${id} never became ${state}`);
}

/** A fresh key with a pass for ws-api, and an ssh config for it. */
async function client(name: string): Promise<SshClientConfig> {
  const probe = writeSshClientConfig({ dir: path.join(tmp, name), port: 1, user: 'api', hostPublicKey: 'x' });
  const r = await call('/api/v1/workspaces/ws-api/ssh-pass', {
    body: { publicKey: probe.keyPair.publicKey },
  });
  expect(r.status).toBe(201);
  const pass = r.json as SshPass;
  return writeSshClientConfig({
    dir: path.join(tmp, name),
    port: pass.gateway.port,
    user: pass.user,
    hostPublicKey: pass.hostKeys[0]!,
    keyPair: probe.keyPair,
  });
}

const revoke = (cfg: SshClientConfig) =>
  call('/api/v1/workspaces/ws-api/ssh-pass', {
    method: 'DELETE',
    body: { publicKey: cfg.keyPair.publicKey },
  });

/** A ControlMaster for `cfg` (options on the command line win over the config file's `no`). */
async function master(cfg: SshClientConfig): Promise<{ cm: string[]; exited: Promise<number | null> }> {
  const cm = ['-F', cfg.configFile, '-o', `ControlPath=${path.join(path.dirname(cfg.configFile), 'cm')}`];
  const child = spawn('ssh', [...cm, '-o', 'ControlMaster=yes', '-N', cfg.host], { stdio: 'ignore' });
  children.push(child);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  for (let i = 0; ; i++) {
    if ((await runProcess('ssh', [...cm, '-O', 'check', cfg.host])).code === 0) break;
    if (child.exitCode !== null || i > 300) throw new Error('the ControlMaster never came up');
    await new Promise((r) => setTimeout(r, 50));
  }
  return { cm, exited };
}

/** A command over the master only (never a fresh connection). */
const overMaster = (cm: string[], host: string, cmd: string) =>
  runProcess('ssh', [...cm, '-o', 'ControlMaster=no', '-o', 'BatchMode=yes', host, cmd]);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-revoke-'));
  srv = await startTestServer({ now: () => Date.now() + skew, passTtlSeconds: 600 });
  token = await srv.token();
  await call('/api/v1/workspaces/ws-api/start', { method: 'POST' });
  await waitState('ws-api', 'running');
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await srv?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a pass ends its connections', () => {
  it('revoking it closes its ControlMaster and a running command (with a message); another key keeps going', async () => {
    const a = await client('a');
    const other = await client('other');
    const m = await master(a);
    const o = await master(other);
    expect((await overMaster(m.cm, a.host, 'echo ok')).stdout.trim()).toBe('ok');
    const running = spawn('ssh', ['-F', a.configFile, a.host, 'echo started; sleep 120'], { stdio: 'pipe' });
    children.push(running);
    let out = '';
    let err = '';
    running.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const runningExit = new Promise<number | null>((r) => running.once('exit', (code) => r(code)));
    await new Promise<void>((resolve) =>
      running.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('started')) resolve();
      }),
    );
    expect((await revoke(a)).status).toBe(204);

    expect(await m.exited).not.toBeNull(); // the master ends (a test timeout if it never did)
    expect(await runningExit).not.toBe(0);
    expect(err).toMatch(/runcode: the pass for this connection to api was revoked/);
    expect((await runProcess('ssh', [...m.cm, '-O', 'check', a.host])).code).not.toBe(0);
    expect((await overMaster(m.cm, a.host, 'echo ok')).code).not.toBe(0);

    expect((await overMaster(o.cm, other.host, 'echo still')).stdout.trim()).toBe('still');
  });

  it('expiry alone leaves an established connection running (checked at authentication only)', async () => {
    const b = await client('b');
    const m = await master(b);
    skew += 700_000; // past the 600 s pass
    try {
      expect((await runProcess('ssh', [...m.cm, '-O', 'check', b.host])).code).toBe(0);
      expect((await overMaster(m.cm, b.host, 'echo alive')).stdout.trim()).toBe('alive');
      // A new connection with the expired pass is refused.
      const fresh = await runProcess('ssh', ['-F', b.configFile, '-o', 'BatchMode=yes', b.host, 'true']);
      expect(fresh.code).not.toBe(0);
    } finally {
      skew -= 700_000;
    }
  });
});
