// The tray's whole flow through the router, over the real core, against the real local server:
// what the popover does, minus the browser (e2e/ adds that).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, ForwardView, SessionView, WorkspaceView } from '../../shared/contract.js';
import type { TestServer } from '../../server/testing/serverFixture.js';
import { API_PAGE, startTestServer } from '../../server/testing/serverFixture.js';
import { RuncodeApp } from '../app/runcodeApp.js';
import { MemorySecretStore } from '../secrets/memorySecretStore.js';
import { SettingsFile } from '../state/settingsFile.js';
import { TrayController } from './trayController.js';

let srv: TestServer;
let dir: string;
let controller: TrayController;
let app: RuncodeApp;
const opened: string[] = [];
const events: { event: EventName; payload: unknown }[] = [];

async function call<T>(channel: string, arg?: unknown): Promise<T> {
  const r = await controller.router.invoke(channel, arg);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as T;
}

async function until<T>(what: string, fn: () => T | undefined | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const lastWorkspaces = () =>
  [...events].reverse().find((e) => e.event === 'workspaces:changed')?.payload as WorkspaceView[] | undefined;
const lastForwards = () =>
  [...events].reverse().find((e) => e.event === 'forwards:changed')?.payload as ForwardView[] | undefined;

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

beforeAll(async () => {
  srv = await startTestServer({ bootDelayMs: 300 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-tray-'));
  const stateDir = path.join(dir, 'state dir with spaces');
  fs.mkdirSync(stateDir, { recursive: true });
  app = new RuncodeApp({
    stateDir,
    sshConfigPath: path.join(dir, 'home', '.ssh', 'config'),
    secrets: new MemorySecretStore(),
    settings: new SettingsFile(stateDir),
  });
  controller = new TrayController({
    app,
    openUrl: async (url) => void opened.push(url),
    startSandbox: async () => ({ endpoint: srv.endpoint, caFile: srv.caFile, stop: async () => undefined }),
  });
  controller.subscribe((event, payload) => events.push({ event, payload }));
  await controller.start();
});

afterAll(async () => {
  await controller?.dispose();
  await srv?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('TrayController through the router', () => {
  it('starts signed out, and refuses bad arguments and unknown calls as values', async () => {
    expect((await call<SessionView>('session:get')).signedIn).toBe(false);
    expect(controller.trayState()).toBe('signed-out');
    const bad = await controller.router.invoke('workspaces:start', { name: 'api\nHost *' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    const extra = await controller.router.invoke('workspaces:start', { name: 'api', evil: 1 });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    const none = await controller.router.invoke('shell:exec', 'rm -rf /');
    expect(none).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    const notSignedIn = await controller.router.invoke('workspaces:list', undefined);
    expect(notSignedIn).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
  });

  it('signs in to the sandbox and streams workspaces', async () => {
    const s = await call<SessionView>('session:trySandbox');
    expect(s).toMatchObject({ signedIn: true, endpoint: srv.endpoint, liveMode: 'stream' });
    const list = await call<WorkspaceView[]>('workspaces:list');
    expect(list.map((w) => w.name).sort()).toEqual(['api', 'web']);
    expect(controller.trayState()).toBe('idle');
  });

  it('starts a workspace: pending, then starting -> running pushed as events, then a notice', async () => {
    const w = await call<WorkspaceView>('workspaces:start', { name: 'api' });
    expect(w.pending).toBe('start');
    await until('running', () =>
      lastWorkspaces()?.find((x) => x.name === 'api' && x.state === 'running' && !x.pending),
    );
    const states = events
      .filter((e) => e.event === 'workspaces:changed')
      .map((e) => (e.payload as WorkspaceView[]).find((x) => x.name === 'api')?.state);
    expect(states).toContain('starting');
    expect(
      events.some(
        (e) => e.event === 'notice' && (e.payload as { message: string }).message === 'api is ready',
      ),
    ).toBe(true);
    expect(controller.trayState()).toBe('running');
  });

  it('connects, and the real ssh reaches the workspace through our own config; the switch adds the block', async () => {
    const r = await call<{ alias: string; command: string }>('workspaces:connect', { name: 'api' });
    expect(r).toEqual({ alias: 'runcode.api', command: 'ssh runcode.api' });
    const cfg = path.join(dir, 'home', '.ssh', 'config');
    // Async: the gateway runs in this process, so a synchronous spawn would wait on itself.
    const sshVia = (config: string) =>
      promisify(execFile)('ssh', ['-F', config, '-o', 'BatchMode=yes', 'runcode.api', 'echo ok']);
    const own = path.join(dir, 'state dir with spaces', 'ssh_config');
    expect((await sshVia(own)).stdout.trim()).toBe('ok');
    // No opt-in: ~/.ssh/config untouched.
    expect(fs.existsSync(cfg)).toBe(false);
    expect((await call<{ hosts: string[] }>('sshConfig:get')).hosts).toEqual([]);
    // Settings' switch: the block for every connection, recorded in the shared settings.
    const s = await call<{ sshConfigOptIn: boolean }>('settings:set', { sshConfigOptIn: true });
    expect(s.sshConfigOptIn).toBe(true);
    expect((await call<{ hosts: string[] }>('sshConfig:get')).hosts).toEqual(['runcode.api']);
    expect((await sshVia(cfg)).stdout.trim()).toBe('ok');
  });

  it('shows a workspace another process connected (the CLI, `runcode mcp`) as connected', async () => {
    const other = new RuncodeApp({ ...app.opts });
    try {
      expect(lastWorkspaces()?.find((w) => w.name === 'web')?.connected).toBe(false);
      await other.connect('web', { start: true });
      await until(
        'the tray to show web connected',
        () => lastWorkspaces()?.find((w) => w.name === 'web')?.connected,
      );
      await other.disconnect('web');
      await until(
        'the tray to show web disconnected',
        () => lastWorkspaces()?.find((w) => w.name === 'web')?.connected === false,
      );
    } finally {
      await other.dispose();
    }
  });

  it('turns a forward on and the demo page comes through the local URL it shows', async () => {
    const f = await call<ForwardView>('forwards:toggle', {
      workspace: 'api',
      remotePort: srv.apiPort,
      enabled: true,
    });
    expect(f.enabled).toBe(true);
    const active = await until('active', () =>
      lastForwards()?.find((x) => x.remotePort === srv.apiPort && x.state === 'active'),
    );
    expect(await get(active.url!)).toBe(API_PAGE);
    const settings = JSON.parse(
      fs.readFileSync(path.join(dir, 'state dir with spaces', 'settings.json'), 'utf8'),
    );
    expect(settings.forwards).toEqual([{ workspace: 'api', remotePort: srv.apiPort }]);
  });

  it('opens VS Code with the exact documented URL, after making sure the pass is fresh', async () => {
    await call('editors:open', { name: 'api', editor: 'vscode' });
    const ws = (await call<WorkspaceView[]>('workspaces:list')).find((w) => w.name === 'api')!;
    const encoded = ws.workdir.split('/').map(encodeURIComponent).join('/');
    expect(opened.at(-1)).toBe(`vscode://vscode-remote/ssh-remote+runcode.api${encoded}`);
    const refused = await controller.router.invoke('browser:open', { url: 'file:///etc/passwd' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad_url' } });
  });

  it('stops: the forward says why, and sign-out leaves no block, key or pin', async () => {
    await call('workspaces:stop', { name: 'api' });
    await until('stopped', () => lastWorkspaces()?.find((x) => x.name === 'api' && x.state === 'stopped'));
    await until('forward not active', () =>
      lastForwards()?.find((x) => x.remotePort === srv.apiPort && x.state !== 'active' && x.reason),
    );
    await call('session:signOut');
    const cfg = path.join(dir, 'home', '.ssh', 'config');
    expect(fs.existsSync(cfg)).toBe(false);
    const keys = path.join(dir, 'state dir with spaces', 'keys');
    expect(fs.existsSync(keys) ? fs.readdirSync(keys) : []).toEqual([]);
    const kh = path.join(dir, 'state dir with spaces', 'known_hosts');
    expect(fs.existsSync(kh) ? fs.readFileSync(kh, 'utf8') : '').not.toContain('runcode-gateway.api');
    expect((await call<SessionView>('session:get')).signedIn).toBe(false);
  });

  it('says "sign in again" once the token is revoked, and the live mode change is pushed', async () => {
    await call('session:trySandbox');
    const token = await app.session.token();
    await fetchJson(srv, '/oauth/revoke', { token });
    const from = events.length;
    controller.resume(); // as on wake: the stream reconnects now, and is refused
    await until('sign-in notice', () =>
      events
        .slice(from)
        .find((e) => e.event === 'notice' && (e.payload as { code?: string }).code === 'sign_in_needed'),
    );
    await until('live mode pushed', () =>
      events
        .slice(from)
        .find((e) => e.event === 'session:changed' && (e.payload as SessionView).liveMode !== 'stream'),
    );
    expect(controller.trayState()).toBe('attention');
  });

  it('after signing out and in again, forwards work again', async () => {
    await call('session:signOut');
    await call('session:trySandbox');
    await call('workspaces:start', { name: 'api' });
    await until('running', () => lastWorkspaces()?.find((x) => x.name === 'api' && x.state === 'running'));
    await call('forwards:toggle', { workspace: 'api', remotePort: srv.apiPort, enabled: true });
    const active = await until('active', () =>
      lastForwards()?.find((x) => x.remotePort === srv.apiPort && x.state === 'active'),
    );
    expect(await get(active.url!)).toBe(API_PAGE);
  });
});

function fetchJson(server: TestServer, p: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = https.request(
      `${server.endpoint}${p}`,
      {
        method: 'POST',
        ca: server.ca,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}
