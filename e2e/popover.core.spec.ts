// The popover over the real core: TrayController's router (the one Electron's main uses) against
// a real local RunCode server (HTTPS, OAuth consent page, SSE, ssh gateway), with a temp HOME
// and state dir. The browser plays both the popover and the user's browser (a second page
// approves the consent page).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import type { WorkspaceView } from '../src/shared/contract.js';
import { RuncodeApp } from '../src/core/app/runcodeApp.js';
import { MemorySecretStore } from '../src/core/secrets/memorySecretStore.js';
import { SettingsFile } from '../src/core/state/settingsFile.js';
import { TrayController } from '../src/core/tray/trayController.js';
import { API_PAGE, startTestServer, type TestServer } from '../src/server/testing/serverFixture.js';
import { openPopover, row, type Popover } from './harness.js';
import { shoot } from './screenshots.js';
import { noChromium } from './requireChromium.js';
import { fetchText } from '../src/core/testing/fetchText.js';

test.skip(!!noChromium, noChromium ?? '');

// The consent page is served with the local server's own CA.
test.use({ ignoreHTTPSErrors: true });

let srv: TestServer | undefined;
let dir: string | undefined;
let controller: TrayController | undefined;
let popover: Popover | undefined;
const opened: string[] = [];

test.afterEach(async () => {
  const problems = popover?.problems ?? [];
  await popover?.close();
  await controller?.dispose();
  await srv?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  expect(problems).toEqual([]);
});

test('real core: consent sign-in, start, ssh, forward, open in VS Code, stop, sign out', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  srv = await startTestServer({ autoApprove: false, bootDelayMs: 300 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-e2e-'));
  const stateDir = path.join(dir, 'state dir');
  const sshConfig = path.join(dir, 'home', '.ssh', 'config');
  const settings = new SettingsFile(stateDir);
  const app = new RuncodeApp({
    stateDir,
    sshConfigPath: sshConfig,
    secrets: new MemorySecretStore(),
    settings,
  });
  // A self-hosted endpoint the user set up before: the first run offers it, with its CA.
  await settings.set({ endpoint: srv.endpoint, caFile: srv.caFile });
  controller = new TrayController({ app, openUrl: async (url) => void opened.push(url) });
  await controller.start();
  popover = await openPopover(page, controller.router, { colorScheme: 'light' });

  // Sign in: the popover shows the link; "the browser" (a second page) approves the consent page.
  await expect(page.getByLabel('RunCode endpoint')).toHaveValue(srv.endpoint);
  await expect(page.getByLabel('CA certificate file')).toHaveValue(srv.caFile);
  await page.getByRole('button', { name: 'Sign in to RunCode' }).click();
  const link = page.getByLabel(/Copy this link/);
  await expect(link).toHaveValue(new RegExp(`^${srv.endpoint}/oauth/authorize\\?`));
  await shoot(page, 'core-signing-in');
  expect(opened.at(-1)).toBe(await link.inputValue());
  const browser = await context.newPage();
  await browser.goto(await link.inputValue());
  await browser.getByRole('button', { name: 'Approve' }).click();
  await expect(row(page, 'api')).toBeVisible();
  await expect(row(page, 'web')).toBeVisible();
  await browser.close();

  // Start: starting -> running, pushed by the server's event stream.
  const api = row(page, 'api');
  await api.getByRole('button', { name: 'Start api' }).click();
  await expect(api.locator('.badge')).toHaveText('Starting');
  await expect(api.locator('.badge')).toHaveText('Running', { timeout: 20_000 });

  // Connect (copy the ssh command), then the real OpenSSH client gets in through RunCode's own
  // config; ~/.ssh/config is not touched (no opt-in yet).
  await api.getByRole('button', { name: 'Copy ssh command for api' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied “ssh runcode.api”.' })).toBeVisible();
  const sshVia = (config: string) =>
    // Asynchronously: the server runs in this process and must keep answering.
    promisify(execFile)('ssh', ['-F', config, '-o', 'BatchMode=yes', 'runcode.api', 'echo ok'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
  expect((await sshVia(path.join(stateDir, 'ssh_config'))).stdout.trim()).toBe('ok');
  expect(fs.existsSync(sshConfig)).toBe(false);

  // Forward the demo port; the page comes through the local URL the popover shows.
  await api.getByRole('button', { name: 'Show ports of api' }).click();
  const ports = page.getByRole('group', { name: 'Ports of api' });
  await ports.getByRole('switch', { name: `Forward port ${srv.apiPort} (demo)` }).click();
  const urlButton = ports.getByRole('button', { name: /^Open http:\/\/127\.0\.0\.1:\d+\/? in browser$/ });
  await expect(urlButton).toBeVisible({ timeout: 20_000 });
  const local = (await urlButton.getAttribute('aria-label'))!.replace(/^Open (\S+) in browser$/, '$1');
  expect(await fetchText(local)).toBe(API_PAGE);
  await shoot(page, 'core-forward');

  // Open in VS Code, which finds hosts through ~/.ssh/config: the popover asks the first time, in
  // plain words; Not now changes nothing and opens nothing.
  const openedBefore = opened.length;
  const openInVsCode = api.getByRole('button', { name: 'Open api in VS Code' });
  await openInVsCode.click();
  const ask = page.getByRole('dialog', { name: 'Let your editors reach workspaces?' });
  await expect(ask).toContainText('Adds a removable block to ~/.ssh/config');
  await shoot(page, 'core-opt-in-question');
  await ask.getByRole('button', { name: 'Not now' }).click();
  await expect(ask).toBeHidden();
  expect(fs.existsSync(sshConfig)).toBe(false);
  expect(opened.length).toBe(openedBefore);
  // Asked once: the next Open says what VS Code needs and offers the switch, without asking again.
  await openInVsCode.click();
  const needs = page.getByRole('note', { name: 'What opening api needs' });
  await expect(needs).toContainText('VS Code finds workspaces through ~/.ssh/config');
  await expect(ask).toHaveCount(0);
  expect(opened.length).toBe(openedBefore);
  await shoot(page, 'core-opt-in-needs');
  // Its Settings button leads to the same switch: on writes the block, off removes it byte-exactly.
  await needs.getByRole('button', { name: 'Settings' }).click();
  await expect(needs).toBeHidden();
  const optIn = page.getByRole('checkbox', { name: /Let editors reach workspaces/ });
  await expect(optIn).not.toBeChecked();
  const userConfig = () => (fs.existsSync(sshConfig) ? fs.readFileSync(sshConfig, 'utf8') : '');
  await optIn.check();
  await expect.poll(userConfig).toMatch(/^Host runcode\.api$/m);
  await expect(page.getByRole('list', { name: 'Hosts in the RunCode block' })).toContainText('runcode.api');
  await expect.poll(async () => (await settings.get()).sshConfigOptIn).toBe(true);
  await optIn.uncheck();
  await expect.poll(userConfig).not.toContain('RUNCODE');
  await expect.poll(async () => (await settings.get()).sshConfigOptIn).toBe(false);

  // A tray that has not asked yet (its remembered UI state cleared) asks again; Allow adds the
  // block and opens, and the launcher gets the exact documented URL.
  await controller.router.invoke('ui:set', { dismissedTips: [] });
  await page.getByRole('tab', { name: 'Workspaces' }).click();
  await openInVsCode.click();
  await ask.getByRole('button', { name: 'Allow' }).click();
  await expect(ask).toBeHidden();
  const ws = (await controller.router.invoke('workspaces:list', undefined)) as {
    ok: true;
    value: WorkspaceView[];
  };
  const workdir = ws.value.find((w) => w.name === 'api')!.workdir;
  const encoded = workdir.split('/').map(encodeURIComponent).join('/');
  await expect.poll(() => opened.at(-1)).toBe(`vscode://vscode-remote/ssh-remote+runcode.api${encoded}`);
  expect(fs.readFileSync(sshConfig, 'utf8')).toMatch(/^Host runcode\.api$/m);
  expect((await sshVia(sshConfig)).stdout.trim()).toBe('ok');
  expect((await settings.get()).sshConfigOptIn).toBe(true);

  // Stop, then sign out: the block is gone from the ssh config.
  await api.getByRole('button', { name: 'Stop api' }).click();
  await expect(api.locator('.badge')).toHaveText('Stopped', { timeout: 20_000 });
  expect(fs.readFileSync(sshConfig, 'utf8')).toContain('BEGIN RUNCODE');
  await page.getByRole('tab', { name: 'Settings' }).click();
  await expect(optIn).toBeChecked();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to RunCode' })).toBeVisible();
  const after = fs.existsSync(sshConfig) ? fs.readFileSync(sshConfig, 'utf8') : '';
  expect(after).not.toContain('RUNCODE');
});
