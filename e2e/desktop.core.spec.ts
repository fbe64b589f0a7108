// Issue 16 journeys over the real core: TrayController's router against a real local RunCode
// server (HTTPS, SSE, ssh gateway) in a temp state dir; the built popover in Chromium.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { RuncodeApp } from '../src/core/app/runcodeApp.js';
import { LOG_KINDS } from '../src/core/logs/logger.js';
import { processLogger } from '../src/core/logs/processLog.js';
import { MemorySecretStore } from '../src/core/secrets/memorySecretStore.js';
import { SettingsFile } from '../src/core/state/settingsFile.js';
import { TrayController } from '../src/core/tray/trayController.js';
import { startTestServer, type TestServer } from '../src/server/testing/serverFixture.js';
import type { WorkspaceDefInput } from '../src/server/workspaceCatalog.js';
import { freePort } from '../src/server/workspaceCatalog.js';
import { openPopover, type Popover } from './harness.js';
import { shoot } from './screenshots.js';
import { noChromium } from './requireChromium.js';

test.skip(!!noChromium, noChromium ?? '');

let srv: TestServer | undefined;
let dir: string | undefined;
let controller: TrayController | undefined;
let popover: Popover | undefined;
let app: RuncodeApp | undefined;
const cleanups: (() => Promise<void> | void)[] = [];

test.afterEach(async () => {
  const problems = popover?.problems ?? [];
  await popover?.close();
  await controller?.dispose();
  await srv?.close();
  for (const c of cleanups.splice(0)) await c();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  popover = controller = srv = dir = undefined;
  expect(problems).toEqual([]);
});

const row = (page: Page, name: string) =>
  page.getByRole('listitem').filter({ has: page.getByTitle(name, { exact: true }) });

/** Server + core signed in (auto-approved consent) + the popover open. */
async function signedIn(
  page: Page,
  workspaces: WorkspaceDefInput[] | undefined,
  serverDir?: string,
): Promise<{ stateDir: string }> {
  srv = await startTestServer({
    ...(workspaces ? { workspaces } : {}),
    bootDelayMs: 100,
    dataDir: serverDir,
  });
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'rc-e2e-desktop-'));
  const stateDir = path.join(dir, 'state');
  app = new RuncodeApp({
    stateDir,
    sshConfigPath: path.join(dir, 'home', '.ssh', 'config'),
    secrets: new MemorySecretStore(),
    settings: new SettingsFile(stateDir),
  });
  controller = new TrayController({ app, openUrl: async () => undefined, linkDownGraceMs: 1_000 });
  await controller.start();
  await controller.session.signInAutoApproved(srv.endpoint, srv.caFile);
  popover = await openPopover(page, controller.router, { colorScheme: 'light' });
  return { stateDir };
}

test('a workspace whose service port is taken shows why it failed, and starts once it is free', async ({
  page,
}) => {
  const port = await freePort();
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => blocker.close(() => r())));
  await signedIn(page, [
    { name: 'busy', ports: [{ port }], services: [{ type: 'static-http', port, body: 'x' }] },
  ]);

  const busy = row(page, 'busy');
  await busy.getByRole('button', { name: 'Start busy' }).click();
  await expect(busy.locator('.badge')).toHaveText('Failed', { timeout: 20_000 });
  const why = busy.getByLabel('Why busy failed');
  await expect(why).toHaveText(`port ${port} is already in use`);
  await shoot(page, 'failed-reason');
  await busy.getByRole('button', { name: 'Show ports of busy' }).click();
  await expect(busy.getByRole('note')).toHaveText(`Failed: port ${port} is already in use`);

  // Free the port: a new start runs and the reason goes away.
  await new Promise<void>((r) => blocker.close(() => r()));
  await busy.getByRole('button', { name: 'Start busy' }).click();
  await expect(busy.locator('.badge')).toHaveText('Running', { timeout: 20_000 });
  await expect(why).toHaveCount(0);
  await expect(busy.getByRole('note')).toHaveCount(0);
});

test('a forwarded workspace shows its link health; the gateway going away and coming back shows down, then up', async ({
  page,
}) => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-e2e-desktop-'));
  const serverDir = path.join(dir, 'server');
  fs.mkdirSync(serverDir);
  const apiPort = await freePort();
  const workspaces = [
    {
      name: 'api',
      ports: [{ port: apiPort, label: 'demo' }],
      services: [{ type: 'static-http' as const, port: apiPort, body: 'hi' }],
    },
  ];
  await signedIn(page, workspaces, serverDir);
  const api = row(page, 'api');
  await api.getByRole('button', { name: 'Start api' }).click();
  await expect(api.locator('.badge')).toHaveText('Running', { timeout: 20_000 });

  // A forward keeps a link; a request through it measures a round trip.
  await api.getByRole('button', { name: 'Show ports of api' }).click();
  const ports = page.getByRole('group', { name: 'Ports of api' });
  await ports.getByRole('switch', { name: `Forward port ${apiPort} (demo)` }).click();
  const urlButton = ports.getByRole('button', { name: /^Open http:\/\/127\.0\.0\.1:\d+\/? in browser$/ });
  await expect(urlButton).toBeVisible({ timeout: 20_000 });
  const local = (await urlButton.getAttribute('aria-label'))!.replace(/^Open (\S+) in browser$/, '$1');
  expect(await (await fetch(local)).text()).toBe('hi');
  const chip = api.getByLabel(/^SSH: /);
  await expect(chip).toHaveText(/^ssh \d+ ms$/, { timeout: 20_000 });
  const health = api.getByLabel('SSH health of api');
  await expect(health).toHaveText(
    /^SSH link up since .*; round trip \d+ ms .*; ssh pass expires in \d+ min$/,
  );
  await expect.poll(() => controller!.trayState()).toBe('running');

  // The server (and its gateway) goes away: the link is down, says why and when it tries again,
  // and after the grace the tray asks for attention.
  const endpoint = new URL(srv!.endpoint);
  const gatewayPort = Number(srv!.gateway.split(':').at(-1));
  await srv!.close();
  srv = undefined;
  await expect(chip).toHaveText('link down', { timeout: 20_000 });
  await expect(health).toHaveText(/^SSH link down since .*: .+; next try (in \d+ s|now)/);
  await expect(ports.getByText('Reconnecting…')).toBeVisible();
  await expect(ports.getByText(/^Next try (in \d+ s|now)$/)).toBeVisible();
  await expect.poll(() => controller!.trayState(), { timeout: 20_000 }).toBe('attention');
  // The live stream is down too: the header's status says why and when it tries again.
  await expect(
    page.getByRole('status', {
      name: /^Updates: (Offline|Polling) Last error: .+\. Next try (in \d+ s|now)\.$/,
    }),
  ).toBeVisible({
    timeout: 20_000,
  });
  await shoot(page, 'link-down');

  // The same server comes back on the same ports: the link is up again, the page comes through.
  srv = await startTestServer({
    dataDir: serverDir,
    bootDelayMs: 100,
    port: Number(endpoint.port),
    gatewayPort,
  });
  await expect(chip).toHaveText(/^ssh( \d+ ms)?$/, { timeout: 60_000 });
  await expect(health).toHaveText(/^SSH link up since /);
  expect(await (await fetch(local)).text()).toBe('hi');
  await expect.poll(() => controller!.trayState(), { timeout: 60_000 }).toBe('running');
});

test('Save diagnostics writes one archive that holds logs, doctor, versions and the ssh block, redacted', async ({
  page,
}) => {
  const { stateDir } = await signedIn(page, undefined);
  const api = row(page, 'api');
  await api.getByRole('button', { name: 'Start api' }).click();
  await expect(api.locator('.badge')).toHaveText('Running', { timeout: 20_000 });
  await api.getByRole('button', { name: 'Copy ssh command for api' }).click();
  await expect(api.getByLabel(/^SSH: /)).toBeVisible({ timeout: 20_000 });

  // The real secrets of this session: the access token, the connection's private key, and a pass id.
  const token = (await app!.session.token())!;
  expect(token.length).toBeGreaterThan(16);
  const keysDir = path.join(stateDir, 'keys');
  const keyFile = fs.readdirSync(keysDir).find((f) => !f.endsWith('.pub') && !f.includes('.lock'))!;
  const privateKey = fs.readFileSync(path.join(keysDir, keyFile), 'utf8');
  const keyLine = privateKey.split('\n')[2]!;
  const passId = 'pass_Q7m2Zr84KdLw9x';
  // Through every log path (each process kind's logger, the way each process writes).
  for (const kind of LOG_KINDS) {
    const log = processLogger(kind, stateDir);
    log.info(`${kind}: GET /api/v1/workspaces Authorization: Bearer ${token}`);
    log.warn(`${kind}: renewed pass`, { passId, key: privateKey });
    log.error(
      new Error(
        `${kind}: token ${token.slice(0, 4)}… refused: {"access_token":"${token}"} pass_id=${passId}`,
      ),
    );
  }

  await page.getByRole('tab', { name: 'Doctor' }).click();
  await page.getByRole('button', { name: 'Save diagnostics…' }).click();
  const saved = page.getByRole('status').filter({ hasText: /^Diagnostics saved to / });
  await expect(saved).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Show logs' }).scrollIntoViewIfNeeded();
  await shoot(page, 'diagnostics-saved');
  const archive = /Diagnostics saved to (\S+\.tar\.gz)/.exec((await saved.textContent())!)![1]!;
  expect(archive).toMatch(/runcode-diagnostics-\d{8}-\d{6}\.tar\.gz$/);

  // Opened with the real tar.
  const out = path.join(dir!, 'opened');
  fs.mkdirSync(out);
  execFileSync('tar', ['-xzf', archive, '-C', out]);
  const root = path.join(out, 'runcode-diagnostics');
  const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');
  expect(fs.readdirSync(path.join(root, 'logs')).sort()).toEqual(['cli.log', 'server.log', 'tray.log']);
  expect(read('doctor.txt')).toMatch(/^\[(ok|FAIL)\] OpenSSH client: /);
  expect(read('versions.txt')).toMatch(/^RunCode Tray .+\nNode .+\nOpenSSH OpenSSH_.+\nOS .+\n$/);
  // Not opted in to ~/.ssh/config: the block file says so, and our own ssh config has the entry.
  expect(read('ssh-config-block.txt')).toMatch(/: no RunCode block\n$/);
  expect(read('own-ssh-config.txt')).toContain('Host runcode.api');
  const all = [
    'doctor.txt',
    'versions.txt',
    'ssh-config-block.txt',
    ...fs.readdirSync(path.join(root, 'logs')).map((f) => `logs/${f}`),
    ...(fs.existsSync(path.join(root, 'own-ssh-config.txt')) ? ['own-ssh-config.txt'] : []),
  ]
    .map(read)
    .join('\n');
  for (const secret of [token, keyLine, passId]) expect(all).not.toContain(secret);
  expect(read('logs/tray.log')).toContain('tray: GET /api/v1/workspaces Authorization: Bearer [redacted]');
});
