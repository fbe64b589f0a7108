// UI-level checks of the popover against the scripted UI fixture router (deterministic data).
// The real-core specs (sign-in through the consent page, ssh, forwards) use the same harness
// with src/core/ipc's router.
import { expect, test, type Page } from '@playwright/test';
import { makeWorkspaces } from './fixtures/makeWorkspaces.js';
import { ScriptedRouter, type ScriptedRouterOptions } from './fixtures/scriptedRouter.js';
import { openPopover, type Popover } from './harness.js';
import { shoot } from './screenshots.js';
import { noChromium } from './requireChromium.js';

test.skip(!!noChromium, noChromium ?? '');

let router: ScriptedRouter | undefined;
let popover: Popover | undefined;

async function open(page: Page, opts: ScriptedRouterOptions = {}): Promise<ScriptedRouter> {
  router = new ScriptedRouter(opts);
  popover = await openPopover(page, router, { colorScheme: 'light' });
  return router;
}

const calls = (channel: string) => router!.calls.filter((c) => c.channel === channel).map((c) => c.arg);
const row = (page: Page, name: string) =>
  page.getByRole('listitem').filter({ has: page.getByTitle(name, { exact: true }) });

test.afterEach(async () => {
  const problems = popover?.problems ?? [];
  await popover?.close();
  router?.dispose();
  popover = undefined;
  router = undefined;
  // No CSP violation, console error or page error on any screen.
  expect(problems).toEqual([]);
});

test('first run: sign in shows progress and the link, cancel is quiet, approve shows the list', async ({
  page,
}) => {
  const r = await open(page, { signedIn: false });
  await expect(page.getByRole('heading', { name: 'Sign in to RunCode' })).toBeVisible();
  const endpoint = page.getByLabel('RunCode endpoint');
  await expect(endpoint).toHaveValue('https://runcode.test');
  await shoot(page, 'first-run');

  await endpoint.fill('http://runcode.test');
  await expect(page.getByText('Use an https:// address')).toBeVisible();
  await endpoint.fill('https://runcode.test');
  await page.getByRole('button', { name: 'Sign in to RunCode' }).click();
  await expect(page.getByRole('heading', { name: 'Signing in…' })).toBeVisible();
  await expect(page.getByLabel(/Copy this link/)).toHaveValue(/^https:\/\/runcode\.test\/oauth\/authorize\?/);
  await shoot(page, 'signing-in');

  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to RunCode' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(calls('session:cancelSignIn')).toHaveLength(1);

  await page.getByRole('button', { name: 'Sign in to RunCode' }).click();
  await expect(page.getByRole('heading', { name: 'Signing in…' })).toBeVisible();
  r.approveSignIn();
  await expect(row(page, 'api')).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Workspaces' })).toHaveAttribute('aria-selected', 'true');
});

test('try the local demo server (which says it isolates nothing)', async ({ page }) => {
  await open(page, { signedIn: false });
  await expect(page.getByText(/commands run as you: they are not isolated from each other/)).toBeVisible();
  await page.getByRole('button', { name: 'Try the local demo server' }).click();
  await expect(page.locator('.header .tag')).toHaveText('local demo');
  await expect(row(page, 'api')).toBeVisible();
});

test('keyboard: arrows select, Enter opens, / searches, Esc clears and otherwise does nothing', async ({
  page,
}) => {
  await open(page);
  const search = page.getByRole('searchbox', { name: 'Search workspaces' });
  await expect(search).toBeFocused();
  await expect(row(page, 'api')).toHaveAttribute('aria-current', 'true');
  await shoot(page, 'workspaces');

  await page.keyboard.press('ArrowDown');
  await expect(row(page, 'web-frontend')).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(row(page, 'api')).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('Enter');
  await expect.poll(() => calls('editors:open')).toEqual([{ name: 'api' }]);

  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Start web-frontend first' })).toBeVisible();
  expect(calls('editors:open')).toHaveLength(1);

  // Focus away from the search box, then `/` comes back to it.
  await page.locator('.count').click();
  await expect(search).not.toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('group', { name: 'Ports of web-frontend' })).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('group', { name: 'Ports of web-frontend' })).toHaveCount(0);
  await page.keyboard.press('/');
  await expect(search).toBeFocused();
  await page.keyboard.type('nightly');
  await expect(page.locator('.count')).toHaveText('1 of 12');
  await expect(row(page, 'payments-reconciliation-nightly-batch-processor-eu-west')).toHaveAttribute(
    'aria-current',
    'true',
  );
  await page.keyboard.press('Escape');
  await expect(search).toHaveValue('');
  await expect(page.locator('.count')).toHaveText('12 workspaces');
  expect(router!.hidden).toBe(0); // that Esc cleared the search; it did not hide the popover
  await page.keyboard.press('Escape');
  await expect.poll(() => router!.hidden).toBe(1); // nothing left to close: ask the shell to hide
});

test('long names truncate with the full name on hover', async ({ page }) => {
  await open(page);
  const long = 'payments-reconciliation-nightly-batch-processor-eu-west';
  const name = page.locator('.ws-name', { hasText: long });
  await expect(name).toHaveAttribute('title', long);
  expect(await name.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
});

test('2,000 workspaces: virtualized, filtered per keystroke', async ({ page }) => {
  const all = makeWorkspaces(2000);
  await open(page, { workspaces: all });
  await expect(page.locator('.count')).toHaveText('2000 workspaces');
  expect(await page.getByRole('listitem').count()).toBeLessThan(40);

  const search = page.getByRole('searchbox', { name: 'Search workspaces' });
  const query = 'billing-gate';
  for (let i = 1; i <= query.length; i++) {
    await search.press(query[i - 1]!);
    const want = all.filter((w) => w.name.toLowerCase().includes(query.slice(0, i))).length;
    await expect(page.locator('.count')).toHaveText(want === 2000 ? '2000 workspaces' : `${want} of 2000`);
  }
  await page.getByLabel('Filter by state').selectOption('failed');
  const failed = all.filter((w) => w.name.includes(query) && w.state === 'failed').length;
  await expect(page.locator('.count')).toHaveText(`${failed} of 2000`);
  await page.getByLabel('Filter by state').selectOption('all');
  await search.fill('zzz-nothing');
  await expect(page.getByText('No workspace matches.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear the search' }).click();
  await expect(page.locator('.count')).toHaveText('2000 workspaces');

  // Arrows keep the selection in view.
  await search.focus();
  await expect(row(page, all[0]!.name)).toHaveAttribute('aria-current', 'true');
  const target = all[12]!.name;
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowDown');
  await expect(row(page, target)).toHaveAttribute('aria-current', 'true');
  await expect(row(page, target)).toBeInViewport();

  // The end of the list renders on demand.
  await page.locator('.scroller').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(row(page, all[1999]!.name)).toBeVisible();
});

test('start is optimistic and rolls back with a message on error', async ({ page }) => {
  await open(page, {
    failStart: {
      'web-frontend': { code: 'unreachable', message: 'connect ECONNREFUSED 10.0.0.1:443\n    at TCP.x' },
    },
  });
  const ws = row(page, 'web-frontend');
  await ws.getByRole('button', { name: 'Start web-frontend' }).click();
  await expect(ws.locator('.badge')).toHaveText('Starting');
  await expect(page.getByRole('alert')).toHaveText(/Couldn't start web-frontend: Can't reach RunCode/);
  await expect(ws.locator('.badge')).toHaveText('Stopped');
  await expect(page.getByText(/ECONNREFUSED|at TCP/)).toHaveCount(0);
  await shoot(page, 'error');
  await page.getByRole('button', { name: 'Dismiss message' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('start -> running and stop -> stopped arrive as events', async ({ page }) => {
  await open(page, { transitionMs: 600 });
  const ws = row(page, 'ml-training');
  await expect(ws.locator('.badge')).toHaveText('Failed');
  await ws.getByRole('button', { name: 'Start ml-training' }).click();
  await expect(ws.locator('.badge')).toHaveText('Starting');
  await expect(ws.getByRole('button', { name: 'Stop ml-training' })).toBeDisabled();
  await expect(ws.locator('.badge')).toHaveText('Running');
  await ws.getByRole('button', { name: 'Stop ml-training' }).click();
  await expect(ws.locator('.badge')).toHaveText('Stopping');
  await expect(ws.locator('.badge')).toHaveText('Stopped');
  expect(calls('workspaces:start')).toEqual([{ name: 'ml-training' }]);
  expect(calls('workspaces:stop')).toEqual([{ name: 'ml-training' }]);
});

test('ports: state, traffic, open in browser, toggle, add', async ({ page }) => {
  await open(page);
  await row(page, 'api').getByRole('button', { name: 'Show ports of api' }).click();
  const ports = page.getByRole('group', { name: 'Ports of api' });
  await expect(ports.getByRole('switch', { name: 'Forward port 3000 (web)' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  await expect(ports.getByText('3000 was taken; using 3001')).toBeVisible();
  await expect(ports.getByText('↓ 180 KB · ↑ 9 KB · 2 connections')).toBeVisible();
  await shoot(page, 'ports');
  await ports.getByRole('button', { name: 'Open http://127.0.0.1:3001 in browser' }).click();
  await expect.poll(() => calls('browser:open')).toEqual([{ url: 'http://127.0.0.1:3001' }]);

  await ports.getByRole('switch', { name: 'Forward port 8080 (api)' }).click();
  await expect(ports.getByRole('button', { name: 'Open http://127.0.0.1:8080 in browser' })).toBeVisible();
  await ports.getByRole('switch', { name: 'Forward port 3000 (web)' }).click();
  await expect(ports.getByRole('switch', { name: 'Forward port 3000 (web)' })).toHaveAttribute(
    'aria-checked',
    'false',
  );

  await ports.getByLabel('Port of api to forward').fill('9229');
  await ports.getByLabel('Port of api to forward').press('Enter');
  await expect(ports.getByRole('switch', { name: 'Forward port 9229' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  expect(calls('forwards:add')).toEqual([{ workspace: 'api', remotePort: 9229 }]);
});

test('open in another editor from the menu; Esc closes the menu only', async ({ page }) => {
  await open(page);
  const search = page.getByRole('searchbox', { name: 'Search workspaces' });
  await search.fill('api');
  await page.getByRole('button', { name: 'Open api in another editor' }).click();
  const menu = page.getByRole('menu', { name: 'Editors for api' });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await shoot(page, 'editor-menu');
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(search).toHaveValue('api');
  expect(router!.hidden).toBe(0); // Esc closed the menu only

  await page.getByRole('button', { name: 'Open api in another editor' }).click();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Cursor' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveCount(0);
  await expect.poll(() => calls('editors:open')).toEqual([{ name: 'api', editor: 'cursor' }]);
  await page.getByRole('button', { name: 'Open api in VS Code' }).click();
  await expect.poll(() => calls('editors:open')).toHaveLength(2);
});

test('copy the ssh command (connects first)', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page);
  await page.getByRole('button', { name: 'Copy ssh command for api' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied “ssh runcode.api”.' })).toBeVisible();
  expect(calls('workspaces:connect')).toEqual([{ name: 'api' }]);
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe('ssh runcode.api');
  await expect(page.getByRole('button', { name: 'Copy ssh command for web-frontend' })).toBeDisabled();
});

test('settings: preferences, ssh entries, secret store warning, sign out', async ({ page }) => {
  await open(page, {
    secretWarning:
      'No OS keychain here: your token is kept in memory only, so you sign in again after a restart.',
  });
  await page.getByRole('tab', { name: 'Settings' }).click();
  await expect(page.getByText('https://runcode.test')).toBeVisible();
  await expect(page.getByRole('note')).toHaveText(/kept in memory only/);
  await expect(page.getByRole('list', { name: 'Hosts in the RunCode block' })).toHaveText('runcode.api');
  await shoot(page, 'settings');

  await page.getByLabel('Default editor').selectOption('cursor');
  await page.getByLabel('Launch at login').check();
  await expect
    .poll(() => calls('settings:set'))
    .toEqual([{ defaultEditor: 'cursor' }, { launchAtLogin: true }]);
  await expect(page.getByLabel('Launch at login')).toBeChecked();

  await page.getByRole('button', { name: 'Remove entries' }).click();
  await expect(page.getByText('No RunCode entries.')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to RunCode' })).toBeVisible();
});

test('doctor: each check, and how to fix the failing one', async ({ page }) => {
  await open(page);
  await page.getByRole('tab', { name: 'Doctor' }).click();
  await expect(page.getByText('1 of 5 checks failed.')).toBeVisible();
  await expect(page.getByText(/^Fix: Install and unlock a Secret Service keyring/)).toBeVisible();
  await expect(page.getByRole('img', { name: 'passed' })).toHaveCount(4);
  await shoot(page, 'doctor');
  // Arrow keys move between tabs.
  await page.getByRole('tab', { name: 'Doctor' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Workspaces' })).toBeFocused();
  await expect(row(page, 'api')).toBeVisible();
});

test('the CSP is enforced, and a violation would be caught', async ({ page }) => {
  await open(page);
  await expect(row(page, 'api')).toBeVisible();
  expect(popover!.problems).toEqual([]);
  // An inline style attribute and an inline script are refused and reported.
  await page.evaluate<void>(`(() => {
    document.body.setAttribute('style', 'outline: 5px solid red');
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.head.appendChild(s);
  })()`);
  await expect
    .poll(() => popover!.problems.filter((p) => /CSP violation/.test(p)).length)
    .toBeGreaterThanOrEqual(2);
  expect(await page.evaluate<boolean>('Boolean(window.__inlineRan)')).toBe(false);
  popover!.problems.length = 0;
});
