// The real app under Playwright's Electron driver: launch the built app (out/), sign in to the
// local demo server from the first-run popover, start and connect a workspace, and see the popover
// show it connected; plus the window's security settings as Electron reports them. Runs where an
// Electron binary exists; elsewhere (these CI machines cannot download one) it is skipped, and
// the reason printed.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import type { ElectronApplication, Page } from '@playwright/test';

const ROOT = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

/**
 * The Electron binary, without `require('electron')`: that would try to download it (Electron 45
 * fetches its binary on first use), which these machines cannot do.
 */
function electronBinary(): { path?: string; reason?: string } {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const bin = path.join(override, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return existsSync(bin) ? { path: bin } : { reason: `ELECTRON_OVERRIDE_DIST_PATH has no ${bin}` };
  }
  const dir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      reason:
        'no Electron binary: node_modules/electron was installed without its binary (it downloads on first use, ' +
        'and this machine has no internet but the npm registry). Set ELECTRON_OVERRIDE_DIST_PATH or run ' +
        '`npx install-electron` where a download is possible.',
    };
  }
  const bin = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? { path: bin } : { reason: `the Electron binary ${bin} is missing` };
}

const binary = electronBinary();
if (!binary.path) console.log(`e2e/electron.spec.ts skipped: ${binary.reason}`);

test.describe('the Electron app', () => {
  test.skip(!binary.path, binary.reason ?? '');

  let app: ElectronApplication | undefined;
  let home: string;

  test.beforeEach(async () => {
    for (const f of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
      expect(existsSync(path.join(ROOT, f)), `${f} (run npx electron-vite build)`).toBe(true);
    }
    home = mkdtempSync(path.join(os.tmpdir(), 'runcode-electron-e2e-'));
    app = await electron.launch({
      executablePath: binary.path!,
      args: [ROOT, '--password-store=basic'],
      env: {
        ...process.env,
        RUNCODE_HOME: path.join(home, 'state'),
        RUNCODE_SSH_CONFIG: path.join(home, 'ssh', 'config'),
        ELECTRON_RENDERER_URL: '', // the bundled page, never a dev server
      },
      timeout: 60_000,
    });
  });

  test.afterEach(async () => {
    await app?.close().catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  });

  async function popover(): Promise<Page> {
    const page = await app!.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    // Hidden at startup: show it as a tray click would.
    await app!.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.show());
    return page;
  }

  test('the popover is sandboxed, isolated, and sees only window.runcode', async () => {
    const page = await popover();
    const prefs = await app!.evaluate(({ BrowserWindow }) => {
      const w = BrowserWindow.getAllWindows()[0]!;
      // Not in the typings, but present at runtime: the preferences the window was created with.
      const wc = w.webContents as unknown as { getLastWebPreferences?(): Record<string, unknown> };
      const p = wc.getLastWebPreferences?.() ?? {};
      return {
        sandbox: p.sandbox,
        contextIsolation: p.contextIsolation,
        nodeIntegration: p.nodeIntegration,
        webSecurity: p.webSecurity,
        url: w.webContents.getURL(),
      };
    });
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(prefs.url).toMatch(/^file:.*\/out\/renderer\/index\.html/);
    const page_ = await page.evaluate(() => ({
      require: typeof (globalThis as Record<string, unknown>).require,
      process: typeof (globalThis as Record<string, unknown>).process,
      ipc: typeof (globalThis as Record<string, unknown>).ipcRenderer,
      api: Object.keys((globalThis as unknown as { runcode: object }).runcode).sort(),
    }));
    expect(page_).toMatchObject({ require: 'undefined', process: 'undefined', ipc: 'undefined' });
    expect(page_.api).toContain('workspacesConnect');
    expect(page_.api).toContain('onWorkspacesChanged');
    // Navigation and new windows are refused.
    await page.evaluate(() => window.open('https://example.com/'));
    expect(app!.windows()).toHaveLength(1);
    await page.evaluate(() => void (location.href = 'https://example.com/'));
    await page.waitForTimeout(300);
    expect(page.url()).toMatch(/^file:/);
  });

  test('sandbox sign-in, start, connect: the popover shows the workspace connected', async () => {
    const page = await popover();
    await page.getByRole('button', { name: 'Try the local demo server' }).click();
    const row = page.getByRole('listitem', { name: /^api, / });
    await expect(row).toBeVisible({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Start api' }).click();
    await expect(page.getByRole('listitem', { name: 'api, running' })).toBeVisible({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Copy ssh command for api' }).click();
    await expect(row.getByLabel(/^SSH: /)).toBeVisible({ timeout: 60_000 });
    const config = readFileSync(path.join(home, 'ssh', 'config'), 'utf8');
    expect(config).toContain('Host runcode.api');
  });
});
