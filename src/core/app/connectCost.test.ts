// What one connect costs (issue 17.2), counted against a real HTTPS server and the real files:
// requests to the control plane, and reads and writes of connections.json and the ssh config.
// Before this change (read off the code it replaced), a second connect from the tray: 3 requests
// (list, pass, revoke), 5 reads of connections.json (get, put, the refresher's sync, the tray's
// reload), 2 config reads, 1 write; from the CLI: 3 requests, 3 reads (it read the record again).
// Now the caller hands over the workspace it holds and gets the record back.
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemorySecretStore } from '../secrets/memorySecretStore.js';
import { SettingsFile } from '../state/settingsFile.js';
import type { HostileServer } from '../testing/hostileServer.js';
import { startHostileServer } from '../testing/hostileServer.js';
import { sampleSshPass, sampleWorkspace } from '../testing/wireSamples.js';
import { RuncodeApp } from './runcodeApp.js';

let srv: HostileServer;
let root: string;
let app: RuncodeApp;
const WS = sampleWorkspace({ id: 'ws-1', name: 'api', state: 'running' });

beforeAll(async () => {
  srv = await startHostileServer();
  srv.on('GET', '/api/v1/me', { json: { id: 'u-1', email: 'dev@example.com', name: 'Dev' } });
  srv.on('GET', '/api/v1/workspaces', { json: { workspaces: [WS] } });
  srv.on('POST', '/api/v1/workspaces/ws-1/ssh-pass', () => ({ status: 201, json: sampleSshPass() }));
  srv.on('DELETE', '/api/v1/workspaces/ws-1/ssh-pass', { status: 204 });
  root = fsSync.mkdtempSync(path.join(os.tmpdir(), 'runcode-cost-'));
  const stateDir = path.join(root, 'state');
  const sshConfig = path.join(root, 'ssh', 'config');
  fsSync.mkdirSync(path.dirname(sshConfig));
  app = new RuncodeApp({
    stateDir,
    sshConfigPath: sshConfig,
    secrets: new MemorySecretStore(),
    settings: new SettingsFile(stateDir),
  });
  await app.session.adoptToken(srv.endpoint, srv.caFile, 'token-for-cost-tests');
});
afterAll(async () => {
  await app?.dispose();
  await srv?.close();
  if (root) fsSync.rmSync(root, { recursive: true, force: true });
});

/** Runs `fn`, counting requests and the reads/renames of connections.json and the ssh config. */
async function cost(fn: () => Promise<unknown>) {
  const connections = path.join(root, 'state', 'connections.json');
  // RunCode's own config (the user's is not read or written without the opt-in).
  const config = path.join(root, 'state', 'ssh_config');
  const user = path.join(root, 'ssh', 'config');
  const reads = vi.spyOn(fs, 'readFile');
  const renames = vi.spyOn(fs, 'rename');
  srv.requests.length = 0;
  try {
    await fn();
    const readsOf = (f: string) => reads.mock.calls.filter(([p]) => p === f).length;
    const writesOf = (f: string) => renames.mock.calls.filter(([, to]) => to === f).length;
    return {
      requests: srv.requests.map((r) => `${r.method} ${r.url}`),
      connectionsReads: readsOf(connections),
      connectionsWrites: writesOf(connections),
      configReads: readsOf(config),
      configWrites: writesOf(config),
      userConfigTouched: readsOf(user) + writesOf(user),
    };
  } finally {
    reads.mockRestore();
    renames.mockRestore();
  }
}

describe('one connect', () => {
  it('the tray (workspace in hand): one pass request, connections.json read twice and written once, our own config once, ~/.ssh/config not at all', async () => {
    const first = await cost(() => app.connect(WS));
    expect(first).toEqual({
      requests: ['POST /api/v1/workspaces/ws-1/ssh-pass'],
      // One read to refuse a damaged file before anything is registered, one in the locked update.
      connectionsReads: 2,
      connectionsWrites: 1,
      // Our own config: read once, in the locked update (the check before acting is a stat).
      configReads: 1,
      configWrites: 1,
      userConfigTouched: 0,
    });
    // Again: the previous key's pass is revoked, nothing else is added.
    const again = await cost(() => app.connect(WS));
    expect(again.requests).toEqual([
      'POST /api/v1/workspaces/ws-1/ssh-pass',
      'DELETE /api/v1/workspaces/ws-1/ssh-pass',
    ]);
    expect([again.connectionsReads, again.connectionsWrites]).toEqual([2, 1]);
  });

  it('the CLI (a name): one list request more, and the record comes back (no re-read)', async () => {
    let record: unknown;
    const c = await cost(async () => ({ record } = await app.connect('api')));
    expect(c.requests).toEqual([
      'GET /api/v1/workspaces',
      'POST /api/v1/workspaces/ws-1/ssh-pass',
      'DELETE /api/v1/workspaces/ws-1/ssh-pass',
    ]);
    expect(c.connectionsReads).toBe(2);
    expect(record).toEqual(await app.connections.get('api'));
  });
});
