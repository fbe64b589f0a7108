// The real main process, through its wiring: the built out/main/index.js and out/preload/index.cjs,
// unmodified, over the electron stand-in (e2e/electronStandIn: its header says what it does not
// model), with the popover a page of Debian's Chromium and the local server that main itself forks
// ("Try the local ..."). Everything a user does here goes tray -> main -> IPC -> core -> server and
// back as events -> IPC -> page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { getWindowPosition } from '../src/main/windowPosition.js';
import { launchMain, MAIN_BUNDLE, type MainHandle } from './electronStandIn/launchMain.js';
import { row } from './harness.js';
import { noChromium } from './requireChromium.js';
import { fetchText } from '../src/core/testing/fetchText.js';

test.skip(!!noChromium, noChromium ?? '');

test.describe.configure({ mode: 'serial' });

let browser: Browser;
let main: MainHandle | undefined;
let dir: string | undefined;

test.beforeAll(async () => {
  if (!fs.existsSync(MAIN_BUNDLE)) throw new Error(`${MAIN_BUNDLE} is missing: run npm run build first`);
  const base = test.info().project.use.launchOptions ?? {};
  // Electron lets its file:// page load its module scripts; plain Chromium needs this switch.
  browser = await chromium.launch({
    ...base,
    args: [...(base.args ?? []), '--allow-file-access-from-files'],
  });
});

test.afterAll(async () => {
  await browser?.close();
});

test.afterEach(async () => {
  const logs = main?.record.logs ?? [];
  if (main && main.record.exitCode === undefined) await main.quit();
  main = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  expect(logs.filter((l) => !l.includes('favicon'))).toEqual([]);
});

function tempEnv(): { stateDir: string; sshConfig: string; env: Record<string, string> } {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-main-'));
  const stateDir = path.join(dir, 'state');
  const sshConfig = path.join(dir, 'home', '.ssh', 'config');
  return {
    stateDir,
    sshConfig,
    env: {
      RUNCODE_HOME: stateDir,
      RUNCODE_SSH_CONFIG: sshConfig,
      STAND_IN_USER_DATA: path.join(dir, 'userData'),
      // The local server main forks seeds its demo page on any free port, not 8080 (test runs).
      RUNCODE_DEMO_PORT: '0',
    },
  };
}

/** From the first-run card to the signed-in list, through main's own local server. */
async function signInLocally(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Try the local/ }).click();
  await expect(row(page, 'api')).toBeVisible({ timeout: 60_000 });
  await expect(row(page, 'web')).toBeVisible();
}

/** Every file under `root`, relative. */
function files(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile())
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)));
}

test('through main: local sign-in, start, connect from the tray menu, open, forward, resume, sign out, quit', async () => {
  const { stateDir, sshConfig, env } = tempEnv();
  main = await launchMain({ browser, env });
  const page = main.page();
  await expect(page.getByRole('heading', { name: 'Sign in to RunCode' })).toBeVisible();
  expect(main.tray().tooltip).toMatch(/signed out/i);

  await signInLocally(page);
  // The tray follows the session: its menu lists the workspaces (Linux: the menu is on the icon).
  await expect.poll(() => main!.menu().items.map((i) => i.label)).toContain('api (stopped)');

  // Start from the popover; the server's events come back through main to the page and the tray.
  const api = row(page, 'api');
  await api.getByRole('button', { name: 'Start api' }).click();
  await expect(api.locator('.badge')).toHaveText('Running', { timeout: 30_000 });
  await expect.poll(() => main!.menu().items.map((i) => i.label)).toContain('api (running)');

  // Connect from the tray menu's workspace submenu: the command lands on the clipboard, a
  // notification says so, and the popover shows it connected.
  main.menu().find(['api (running)', 'Connect']).click!();
  await expect.poll(() => main!.record.clipboard.at(-1), { timeout: 30_000 }).toBe('ssh runcode.api');
  expect(main.record.notifications.at(-1)?.options.body).toContain('api is ready');
  await expect.poll(() => main!.menu().items.map((i) => i.label)).toContain('api (running, connected)');

  // Forward the demo port from the ports panel; the page comes through the local URL.
  await api.getByRole('button', { name: 'Show ports of api' }).click();
  const ports = page.getByRole('group', { name: 'Ports of api' });
  await ports.getByRole('switch', { name: /^Forward port \d+ \(demo web page\)$/ }).click();
  const urlButton = ports.getByRole('button', { name: /^Open http:\/\/127\.0\.0\.1:\d+\/? in browser$/ });
  await expect(urlButton).toBeVisible({ timeout: 30_000 });
  const local = (await urlButton.getAttribute('aria-label'))!.replace(/^Open (\S+) in browser$/, '$1');
  expect(await fetchText(local)).toContain('Hello from the <code>api</code> workspace');
  // The link opens through main's shell.openExternal, the allowlisted opener.
  await urlButton.click();
  await expect.poll(() => main!.record.opened.at(-1)).toBe(local);

  // Open in VS Code: main hands shell.openExternal the documented URL (after the one-time
  // question about ~/.ssh/config, where the app asks it).
  await api.getByRole('button', { name: 'Open api in VS Code' }).click();
  // The opt-in is off by default, so the question always comes first: wait for it.
  const ask = page.getByRole('dialog').filter({ hasText: '.ssh/config' });
  await ask.getByRole('button', { name: /^(Allow|Yes|Turn on|Add)/ }).click();
  await expect
    .poll(() => main!.record.opened.at(-1), { timeout: 30_000 })
    .toMatch(/^vscode:\/\/vscode-remote\/ssh-remote\+runcode\.api\//);

  // Wake from sleep: main's powerMonitor 'resume' reaches the core; the forward still serves.
  main.emitPower('resume');
  await expect(urlButton).toBeVisible({ timeout: 30_000 });
  expect(await fetchText(local)).toContain('Hello from the <code>api</code> workspace');

  // Sign out: keys, passes, pins and our ssh config entries go; the block too.
  expect(files(path.join(stateDir, 'keys')).length).toBeGreaterThan(0);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to RunCode' })).toBeVisible();
  expect(files(path.join(stateDir, 'keys'))).toEqual([]);
  const left = fs.existsSync(sshConfig) ? fs.readFileSync(sshConfig, 'utf8') : '';
  expect(left).not.toContain('RUNCODE');
  const ownConfig = path.join(stateDir, 'ssh_config');
  if (fs.existsSync(ownConfig)) expect(fs.readFileSync(ownConfig, 'utf8')).not.toMatch(/^Host /m);
  expect(
    fs.existsSync(path.join(stateDir, 'connections.json'))
      ? fs.readFileSync(path.join(stateDir, 'connections.json'), 'utf8')
      : '',
  ).not.toContain('"api"');

  // Quit from the tray menu: main disposes everything (the local server child too) and exits 0.
  main.menu().find(['Quit RunCode Tray']).click!();
  await expect.poll(() => main!.record.exitCode, { timeout: 30_000 }).toBe(0);
});

test('the tray icon shows the popover beside it, blur hides it, and a second instance shows the first', async () => {
  const { env } = tempEnv();
  main = await launchMain({ browser, env });
  const win = main.window();
  expect(win.visible).toBe(false); // created hidden, shown by the tray

  main.tray().click();
  expect(win.visible).toBe(true);
  const tray = main.tray().getBounds();
  const expected = getWindowPosition({
    trayBounds: tray,
    windowSize: { width: win.options.width!, height: win.options.height! },
    workArea: { x: 0, y: 28, width: 1920, height: 1052 },
    displayBounds: { x: 0, y: 0, width: 1920, height: 1080 },
    platform: process.platform,
    cursor: { x: 1850, y: 10 },
  });
  expect(win.position).toEqual({ x: expected.x, y: expected.y });
  // The window is hardened as main built it.
  expect(win.options.webPreferences).toMatchObject({
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
  });

  // Losing focus hides it (after main's short grace).
  win.simulateBlur();
  await expect.poll(() => win.visible).toBe(false);

  // A second copy of the app (another process) exits at once and the first shows its popover.
  const { spawn } = await import('node:child_process');
  const second = spawn(
    process.execPath,
    ['--import', new URL('./electronStandIn/registerHooks.mjs', import.meta.url).href, MAIN_BUNDLE],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  second.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((r) => second.on('exit', r));
  expect(err).toBe('');
  expect(code).toBe(0);
  await expect.poll(() => win.visible, { timeout: 10_000 }).toBe(true);
});

test('IPC from a foreign frame is refused; permissions, new windows and navigation are refused', async () => {
  const { env } = tempEnv();
  main = await launchMain({ browser, env });
  const page = main.page();

  // The popover itself may call (its preload's window.runcode)...
  const own = await page.evaluate(() =>
    (window as unknown as { runcode: { sessionGet(): Promise<unknown> } }).runcode.sessionGet(),
  );
  expect(own).toMatchObject({ signedIn: false });

  // ...an iframe in it may not, even through the raw bridge (the preload does not run there).
  const answer = await page.evaluate(async () => {
    const f = document.createElement('iframe');
    f.srcdoc = '<p>foreign</p>';
    document.body.append(f);
    await new Promise((r) => f.addEventListener('load', r));
    const invoke = (
      f.contentWindow as unknown as { __standInIpcInvoke(c: string, a: unknown[]): Promise<unknown> }
    ).__standInIpcInvoke;
    return invoke('session:get', []);
  });
  expect(answer).toEqual({
    ok: false,
    error: { code: 'forbidden', message: 'This window may not talk to RunCode Tray.' },
  });

  // No permission for the page (camera), none for another origin; clipboard writes for our page only.
  const ours = page.url();
  expect(await main.requestPermission('media', { requestingUrl: ours, isMainFrame: true })).toBe(false);
  expect(
    await main.requestPermission('clipboard-sanitized-write', {
      requestingUrl: 'https://evil.example/',
      isMainFrame: true,
    }),
  ).toBe(false);

  // window.open is denied by main's handler; a navigation away is prevented.
  const opened = await page.evaluate(() => window.open('https://example.com/'));
  expect(opened).toBeNull();
  await page.evaluate(() => void (location.href = 'http://127.0.0.1:9/elsewhere')).catch(() => undefined);
  // Main saw it and said no; the page is still ours and still answers.
  await expect.poll(() => main!.record.navigations).toContain('http://127.0.0.1:9/elsewhere');
  expect(page.url()).toBe(ours);
  await expect(page.getByRole('heading', { name: 'Sign in to RunCode' })).toBeVisible();
});
