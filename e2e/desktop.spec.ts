// Issue 16 screens over the scripted router (deterministic data): updates in Settings, the
// logs/diagnostics buttons under the doctor.
import { expect, test, type Page } from '@playwright/test';
import { ScriptedRouter, type ScriptedRouterOptions } from './fixtures/scriptedRouter.js';
import { openPopover, type Popover } from './harness.js';
import { noChromium } from './requireChromium.js';
import { shoot } from './screenshots.js';

test.skip(!!noChromium, noChromium ?? '');

let router: ScriptedRouter | undefined;
let popover: Popover | undefined;

async function open(page: Page, opts: ScriptedRouterOptions = {}): Promise<ScriptedRouter> {
  router = new ScriptedRouter(opts);
  popover = await openPopover(page, router, { colorScheme: 'light' });
  return router;
}

test.afterEach(async () => {
  const problems = popover?.problems ?? [];
  await popover?.close();
  router?.dispose();
  popover = router = undefined;
  expect(problems).toEqual([]);
});

test('update ready: Settings offers the restart, and the switch turns checks off', async ({ page }) => {
  const r = await open(page, { update: { state: 'ready', version: '0.2.0' } });
  await page.getByRole('tab', { name: 'Settings' }).click();
  const updates = page.getByRole('group', { name: 'Updates' });
  await expect(updates.getByRole('status')).toHaveText('RunCode Tray 0.2.0 is ready.');
  await updates.scrollIntoViewIfNeeded();
  await shoot(page, 'update-ready');
  await updates.getByRole('button', { name: 'Restart to update' }).click();
  await expect.poll(() => r.restarts).toBe(1);

  await page.getByLabel('Check for updates automatically').uncheck();
  await expect
    .poll(() => r.calls.filter((c) => c.channel === 'settings:set').map((c) => c.arg))
    .toEqual([{ autoUpdate: false }]);
});

test('a failed update check says why; Check now asks again', async ({ page }) => {
  const r = await open(page, {
    update: {
      state: 'failed',
      message: 'Could not check for updates: getaddrinfo ENOTFOUND updates.runcode.dev',
    },
  });
  await page.getByRole('tab', { name: 'Settings' }).click();
  const updates = page.getByRole('group', { name: 'Updates' });
  await expect(updates.getByRole('status')).toHaveText(
    'Could not check for updates: getaddrinfo ENOTFOUND updates.runcode.dev',
  );
  await updates.getByRole('button', { name: 'Check now' }).click();
  await expect.poll(() => r.calls.filter((c) => c.channel === 'update:check').length).toBe(1);
});

test('no updates in a build that cannot update: no update line', async ({ page }) => {
  await open(page);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await expect(page.getByLabel('Check for updates automatically')).toBeVisible();
  await expect(page.getByRole('group', { name: 'Updates' })).toHaveCount(0);
});

test('doctor: Show logs and Save diagnostics', async ({ page }) => {
  const r = await open(page);
  await page.getByRole('tab', { name: 'Doctor' }).click();
  await page.getByRole('button', { name: 'Save diagnostics…' }).click();
  await expect(
    page
      .getByRole('status')
      .filter({ hasText: 'Diagnostics saved to /home/dev/Desktop/runcode-diagnostics-' }),
  ).toBeVisible();
  expect(r.savedDiagnostics).toBe(1);
  await page.getByRole('button', { name: 'Show logs' }).click();
  await expect.poll(() => r.calls.filter((c) => c.channel === 'logs:show').length).toBe(1);
  await page.getByRole('button', { name: 'Show logs' }).scrollIntoViewIfNeeded();
  await shoot(page, 'logs');
});

test('the popover opens again where it was left: the tab and the expanded row', async ({ page }) => {
  const r = await open(page);
  const api = page.getByRole('listitem').filter({ has: page.getByTitle('api', { exact: true }) });
  await api.getByRole('button', { name: 'Show ports of api' }).click();
  await expect.poll(() => r.ui.expandedRows).toEqual(['api']);
  await page.getByRole('tab', { name: 'Doctor' }).click();
  await expect.poll(() => r.ui.lastTab).toBe('doctor');
  await page.reload();
  await expect(page.getByRole('tab', { name: 'Doctor' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: 'Workspaces' }).click();
  await expect(page.getByRole('group', { name: 'Ports of api' })).toBeVisible();
});
