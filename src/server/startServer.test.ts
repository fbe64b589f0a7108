// startServer as a whole: state, CA, host key and tokens survive a restart; a workspace caught
// mid-transition comes back consistently; broken inputs on disk are clear errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateEd25519KeyPair } from '../core/ssh/opensshKey.js';
import type { SshPass, Workspace } from '../shared/protocol.js';
import { sftpServerStatus } from './sftpServerStatus.js';
import { startServer } from './startServer.js';
import { httpsRequest } from './testing/httpsRequest.js';
import { startTestServer } from './testing/serverFixture.js';
import { connectSse } from './testing/sseClient.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-start-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const until = async (cond: () => Promise<boolean>, ms = 5000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20)))
    if (await cond()) return;
  throw new Error('condition not met in time');
};

describe('restart', () => {
  it('keeps workspace states, tokens, passes, the CA and the host key', async () => {
    const dataDir = tempDir();
    const key = generateEd25519KeyPair();
    let srv = await startTestServer({ dataDir });
    let token: string, pass1: SshPass, lastId: number;
    const caBefore = srv.ca;
    try {
      token = await srv.token();
      const call = (p: string, o = {}) => httpsRequest(srv.endpoint, srv.ca, p, { token, ...o });
      await call('/api/v1/workspaces/ws-web/start', { method: 'POST' });
      await until(
        async () => ((await call('/api/v1/workspaces/ws-web')).json as Workspace).state === 'running',
      );
      pass1 = (await call('/api/v1/workspaces/ws-api/ssh-pass', { body: { publicKey: key.publicKey } }))
        .json as SshPass;
      const sse = await connectSse(srv.endpoint, srv.ca, token);
      lastId = Number((await sse.waitFor(() => true)).id);
      sse.close();
    } finally {
      await srv.close();
    }
    expect(fs.existsSync(dataDir)).toBe(true);

    srv = await startTestServer({ dataDir });
    try {
      expect(srv.ca).toBe(caBefore);
      const call = (p: string, o = {}) => httpsRequest(srv.endpoint, srv.ca, p, { token, ...o });
      const list = (await call('/api/v1/workspaces')).json as { workspaces: Workspace[] };
      expect(list.workspaces.map((w) => [w.id, w.state])).toEqual([
        ['ws-api', 'stopped'],
        ['ws-web', 'running'],
      ]);
      const state = JSON.parse(fs.readFileSync(path.join(dataDir, 'state.json'), 'utf8')) as {
        passes: { key: string }[];
      };
      expect(state.passes.map((p) => p.key)).toEqual([key.publicKey]);
      const pass2 = (await call('/api/v1/workspaces/ws-api/ssh-pass', { body: { publicKey: key.publicKey } }))
        .json as SshPass;
      expect(pass2.hostKeys).toEqual(pass1.hostKeys);
      // Event ids keep growing across the restart.
      await call('/api/v1/workspaces/ws-web/stop', { method: 'POST' });
      const sse = await connectSse(srv.endpoint, srv.ca, token, String(lastId));
      const e = await sse.waitFor((x) => (JSON.parse(x.data) as Workspace).state === 'stopping');
      expect(Number(e.id)).toBe(lastId + 1);
      sse.close();
    } finally {
      await srv.close();
    }
  });

  it('a workspace starting at shutdown boots on restart; one stopping finishes as stopped', async () => {
    const dataDir = tempDir();
    let srv = await startTestServer({ dataDir, bootDelayMs: 60_000, stopDelayMs: 60_000 });
    try {
      const token = await srv.token();
      const call = (p: string) => httpsRequest(srv.endpoint, srv.ca, p, { token, method: 'POST' });
      expect(((await call('/api/v1/workspaces/ws-api/start')).json as Workspace).state).toBe('starting');
      await call('/api/v1/workspaces/ws-web/start');
      // ws-web cannot stop within the test either: it is caught mid-stop.
      expect(((await call('/api/v1/workspaces/ws-web/stop')).json as Workspace).state).toBe('stopping');
    } finally {
      await srv.close();
    }
    srv = await startTestServer({ dataDir, bootDelayMs: 50 });
    try {
      const token = await srv.token();
      const get = async (id: string) =>
        ((await httpsRequest(srv.endpoint, srv.ca, `/api/v1/workspaces/${id}`, { token })).json as Workspace)
          .state;
      expect(await get('ws-web')).toBe('stopped');
      await until(async () => (await get('ws-api')) === 'running');
    } finally {
      await srv.close();
    }
  });
});

describe('bad state on disk', () => {
  it('a corrupt state.json is a clear error and is left untouched', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'state.json'), '{"version": 1, "tok');
    await expect(startServer({ dataDir })).rejects.toMatchObject({
      code: 'state_corrupt',
      message: expect.stringContaining('state.json'),
    });
    expect(fs.readFileSync(path.join(dataDir, 'state.json'), 'utf8')).toBe('{"version": 1, "tok');
  });

  it('an invalid workspaces.json names the field', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(
      path.join(dataDir, 'workspaces.json'),
      JSON.stringify({ workspaces: [{ name: 'Bad Name' }] }),
    );
    await expect(startServer({ dataDir })).rejects.toMatchObject({
      code: 'workspaces_invalid',
      message: expect.stringContaining('workspaces[0].name'),
    });
  });

  it('refuses a non-loopback host unless asked explicitly', async () => {
    await expect(startServer({ dataDir: tempDir(), host: '0.0.0.0' })).rejects.toMatchObject({
      code: 'non_loopback_host',
    });
    await expect(startServer({ dataDir: tempDir(), passTtlSeconds: 0 })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });
});

describe('first run', () => {
  it('seeds two demo workspaces and writes workspaces.json', async () => {
    const dataDir = tempDir();
    const lines: string[] = [];
    const srv = await startServer({ dataDir, autoApprove: true, log: (l) => lines.push(l) });
    try {
      const defs = JSON.parse(fs.readFileSync(path.join(dataDir, 'workspaces.json'), 'utf8')) as {
        workspaces: { name: string }[];
      };
      expect(defs.workspaces.map((w) => w.name)).toEqual(['api', 'web']);
      expect(
        fs.readFileSync(path.join(dataDir, 'workspaces', 'api', 'public', 'index.html'), 'utf8'),
      ).toMatch(/Hello from the/);
      expect(srv.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(srv.gateway).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
      expect(path.isAbsolute(srv.caFile)).toBe(true);
      expect(lines.join('\n')).toContain(srv.endpoint);
      expect(fs.statSync(path.join(dataDir, 'state.json')).mode & 0o077).toBe(0);
    } finally {
      await srv.close();
    }
  });
});

describe('GET / says whether file transfer works here (for doctor)', () => {
  it('names the sftp-server it will run, or the command that installs one', async () => {
    const srv = await startTestServer();
    try {
      const r = await httpsRequest(srv.endpoint, srv.ca, '/');
      expect(r.status).toBe(200);
      const body = r.json as { service: string; sftpServer: { path?: string; install?: string } };
      expect(body.service).toBe('runcode-local-server');
      expect(body.sftpServer).toEqual(sftpServerStatus());
      if (body.sftpServer.path) expect(fs.existsSync(body.sftpServer.path)).toBe(true);
    } finally {
      await srv.close();
    }
    const none = sftpServerStatus(['/nonexistent/sftp-server']);
    expect(none.path).toBeUndefined();
    expect(none.install).toMatch(/\S/);
    if (fs.existsSync('/usr/bin/apt-get')) expect(none.install).toBe('apt-get install openssh-sftp-server');
  });
});
