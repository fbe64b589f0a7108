// A damaged connections.json or settings.json (issue 3, "Bad input"): every RuncodeApp call that
// reads it rejects with `state_corrupt` naming the file, nothing is asked of the server, and no
// file (the damaged one included) is rewritten or deleted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RuncodeError } from '../errors.js';
import { MemorySecretStore } from '../secrets/memorySecretStore.js';
import { SettingsFile } from '../state/settingsFile.js';
import { fileSnapshot } from '../testing/fileSnapshot.js';
import type { HostileServer } from '../testing/hostileServer.js';
import { startHostileServer } from '../testing/hostileServer.js';
import { sampleSshPass, sampleWorkspace } from '../testing/wireSamples.js';
import { RuncodeApp } from './runcodeApp.js';

let srv: HostileServer;
let root: string;
const apps: RuncodeApp[] = [];

beforeAll(async () => {
  srv = await startHostileServer();
  srv.on('GET', '/api/v1/me', { json: { id: 'u-1', email: 'dev@example.com', name: 'Dev' } });
  srv.on('GET', '/api/v1/workspaces', {
    json: { workspaces: [sampleWorkspace({ id: 'ws-1', name: 'api' })] },
  });
  srv.on('POST', '/api/v1/workspaces/ws-1/ssh-pass', () => ({ status: 201, json: sampleSshPass() }));
  srv.on('DELETE', '/api/v1/workspaces/ws-1/ssh-pass', { status: 204 });
  srv.on('POST', '/oauth/revoke', { status: 204 });
});
afterAll(async () => {
  await srv?.close();
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.dispose()));
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

/** A signed-in app with one good connection, whose `file` is then damaged with `bytes`. */
async function damagedApp(file: 'connections.json' | 'settings.json', bytes: string) {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-corrupt-'));
  const stateDir = path.join(root, 'state');
  const sshConfig = path.join(root, 'ssh', 'config');
  fs.mkdirSync(path.dirname(sshConfig));
  fs.writeFileSync(sshConfig, 'Host *\n  ServerAliveInterval 30\n');
  const app = new RuncodeApp({
    stateDir,
    sshConfigPath: sshConfig,
    secrets: new MemorySecretStore(),
    settings: new SettingsFile(stateDir),
  });
  apps.push(app);
  await app.session.adoptToken(srv.endpoint, srv.caFile, 'token-for-corrupt-tests');
  await app.connect('api');
  fs.writeFileSync(path.join(stateDir, file), bytes);
  srv.requests.length = 0;
  const snap = () => fileSnapshot([stateDir, path.dirname(sshConfig)]);
  return { app, before: snap(), snap, file: path.join(stateDir, file) };
}

async function corrupt(p: Promise<unknown>, file: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RuncodeError);
  expect((e as RuncodeError).code).toBe('state_corrupt');
  expect((e as RuncodeError).message).toContain(file);
  expect((e as RuncodeError).message).toMatch(/is damaged .*move it aside or delete it/);
}

describe('a damaged connections.json', () => {
  it.each([
    ['not JSON', '{"version":1,"connections":[{"name":"x"'],
    ['the wrong shape', '{"version":2,"connections":[]}'],
    ['a hostile record', '{"version":1,"connections":[{"name":"-oProxyCommand=x"}]}'],
    ['empty', ''],
  ])('%s: state_corrupt from every call, nothing sent or rewritten', async (_what, bytes) => {
    const { app, before, snap, file } = await damagedApp('connections.json', bytes);
    await corrupt(app.connections.list(), file);
    await corrupt(app.connect('api'), file);
    await corrupt(app.disconnect('api'), file);
    await corrupt(app.connections.writeConfig(), file);
    await corrupt(app.startRefresher(), file);
    await corrupt(app.signOut(), file);
    expect(srv.requests.filter((r) => r.method !== 'GET')).toEqual([]); // no pass, revoke or sign-out
    expect(snap()).toEqual(before);
    expect(fs.readFileSync(file, 'utf8')).toBe(bytes);
    expect(await app.session.signedIn()).toBe(true);
  });
});

describe('a damaged settings.json', () => {
  it.each([
    ['not JSON', '{"endpoint": '],
    ['the wrong types', '{"endpoint": 42}'],
    ['an unknown editor', '{"defaultEditor": "ed"}'],
  ])('%s: state_corrupt, nothing sent or rewritten', async (_what, bytes) => {
    const { app, before, snap, file } = await damagedApp('settings.json', bytes);
    await corrupt(app.session.api(), file);
    await corrupt(app.listWorkspaces(), file);
    await corrupt(app.connect('api'), file);
    await corrupt(app.settings.get(), file);
    await corrupt(app.settings.set({ notifications: false }), file);
    await corrupt(app.session.adoptToken(srv.endpoint, srv.caFile, 'another-token-for-tests'), file);
    expect(srv.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(snap()).toEqual(before);
  });
});
