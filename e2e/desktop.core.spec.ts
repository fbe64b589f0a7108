// Issue 16 journeys over the real core: TrayController's router against a real local RunCode
// server (HTTPS, SSE, ssh gateway) in a temp state dir; the built popover in Chromium.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { followAutoApprove } from '../src/core/auth/autoApprove.js';
import { RuncodeApp } from '../src/core/app/runcodeApp.js';
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
async function signedIn(page: Page, workspaces: WorkspaceDefInput[]): Promise<{ stateDir: string }> {
  srv = await startTestServer({ workspaces, bootDelayMs: 100 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-e2e-desktop-'));
  const stateDir = path.join(dir, 'state');
  const app = new RuncodeApp({
    stateDir,
    sshConfigPath: path.join(dir, 'home', '.ssh', 'config'),
    secrets: new MemorySecretStore(),
    settings: new SettingsFile(stateDir),
  });
  controller = new TrayController({ app, openUrl: async () => undefined });
  await controller.start();
  await controller.signIn(srv.endpoint, srv.caFile, followAutoApprove(srv.caFile));
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
