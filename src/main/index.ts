// Composition root of the Electron shell: builds the core with Electron's secret store, wires the
// controller to the tray, the popover and IPC, and on quit awaits every dispose. Thin on purpose:
// decisions live in core (TrayController); this file only connects Electron to it.
import fs from 'node:fs';
import { app, clipboard, dialog, Notification, powerMonitor, safeStorage, session, shell } from 'electron';
import { RuncodeApp } from '../core/app/runcodeApp.js';
import { assertAllowedUrl } from '../core/editors/allowedUrl.js';
import { tryLog } from '../core/logs/processLog.js';
import { ownSshConfigPath, sshConfigPath, stateDir } from '../core/paths.js';
import { SettingsFile } from '../core/state/settingsFile.js';
import type { StoredSettings } from '../core/state/settingsFile.js';
import { TrayController } from '../core/tray/trayController.js';
import type { Notice } from '../shared/contract.js';
import { appPaths } from './appPaths.js';
import { registerIpc } from './ipc.js';
import { NoticeGate } from './noticeGate.js';
import { ObservedSettings } from './observedSettings.js';
import { lockDownSession, lockDownWebContents, PopoverWindow } from './popoverWindow.js';
import { SafeStorageSecretStore } from './safeStorageSecretStore.js';
import { SandboxProcess } from './sandboxProcess.js';
import { AppTray } from './tray.js';
import { TrayStore } from './trayStore.js';
import { electronUpdateBackend } from './electronUpdateBackend.js';
import { linuxAutostartEnabled, setLinuxAutostart } from '../core/desktop/autostart.js';

/** stderr and the tray's own log (<state>/logs/tray.log, redacted). */
const log = (line: string) => {
  console.error(`[runcode-tray] ${line}`);
  tryLog('tray', 'info', line);
};

/** Each owner's dispose, bounded: a quit must not hang on one stuck socket. */
async function disposeAll(steps: [string, () => Promise<void> | void][]): Promise<void> {
  for (const [name, step] of steps) {
    try {
      await Promise.race([
        Promise.resolve().then(step),
        new Promise((_r, reject) => setTimeout(() => reject(new Error('timed out after 5 s')), 5000).unref()),
      ]);
    } catch (e) {
      log(`dispose ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** Linux: what the autostart entry starts (an AppImage runs from its own path, not the mount). */
const linuxAutostart = () => ({ execPath: process.env.APPIMAGE ?? process.execPath });

function applyLoginItem(s: Pick<StoredSettings, 'launchAtLogin'>): void {
  if (process.platform === 'darwin' || process.platform === 'win32') {
    app.setLoginItemSettings({ openAtLogin: s.launchAtLogin });
  } else if (process.platform === 'linux' && app.isPackaged) {
    // Electron's login items do not cover Linux: the freedesktop autostart entry does.
    setLinuxAutostart(s.launchAtLogin, linuxAutostart()).catch((e: unknown) =>
      log(`launch at login: ${e instanceof Error ? e.message : String(e)}`),
    );
  }
}

async function loginItemEnabled(): Promise<boolean> {
  if (process.platform === 'linux') return linuxAutostartEnabled(linuxAutostart());
  return app.getLoginItemSettings().openAtLogin;
}

async function main(): Promise<void> {
  // A tray app: no Dock icon, and closing the window never quits.
  app.dock?.hide();
  app.on('window-all-closed', () => undefined);
  // Every webContents, not only ours, is refused navigation, new windows and webviews.
  app.on('web-contents-created', (_e, contents) => lockDownWebContents(contents, log));
  await app.whenReady();

  const paths = appPaths({
    mainDir: import.meta.dirname,
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
  });

  const dir = stateDir();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secrets = await SafeStorageSecretStore.open({ stateDir: dir, safeStorage, log });
  if (secrets.warning) log(secrets.warning);
  const settings = new ObservedSettings(new SettingsFile(dir), (next, patch) => {
    if ('launchAtLogin' in patch) applyLoginItem(next);
  });
  const runcode = new RuncodeApp({ stateDir: dir, sshConfigPath: sshConfigPath(), secrets, settings });
  const sandbox = new SandboxProcess(paths, dir, log);
  // The tray's own state (electron-store, schema-checked); a damaged file is reset, not fatal.
  const ui = TrayStore.open(app.getPath('userData'));
  if (ui.notice) log(ui.notice);
  // Updates only in a packaged app (electron-updater reads the app-update.yml packaging writes).
  const updates = app.isPackaged ? await electronUpdateBackend(log) : undefined;
  const controller = new TrayController({
    ...(updates ? { updates } : {}),
    ui: ui.store,
    app: runcode,
    // The editor launcher's allowlist is the only way to the OS URL opener.
    openUrl: (url) => shell.openExternal(assertAllowedUrl(url)),
    startSandbox: () => sandbox.start(),
    // Esc reaches the page first (to close a menu or clear the search); it asks to hide when it did not use it.
    hideWindow: () => popover.hide(),
    platform: process.platform,
    diagnostics: {
      appVersion: app.getVersion(),
      electronVersion: process.versions.electron,
      ownSshConfigPath: ownSshConfigPath(dir),
      choosePath: async (suggested) => {
        const r = await dialog.showSaveDialog({
          title: 'Save RunCode diagnostics',
          defaultPath: suggested,
          filters: [{ name: 'Archive', extensions: ['tar.gz'] }],
        });
        return r.canceled ? undefined : r.filePath;
      },
      showPath: async (p) => {
        if (fs.existsSync(p) && fs.statSync(p).isDirectory()) await shell.openPath(p);
        else shell.showItemInFolder(p);
      },
    },
  });

  const popover = new PopoverWindow(paths, log);
  lockDownSession(session.defaultSession, paths, () => popover.webContentsId);
  const stopIpc = registerIpc({
    router: controller.router,
    windowId: () => popover.webContentsId,
    allowedOrigins: paths.allowedOrigins,
    send: (event, payload) => popover.send(event, payload),
    subscribe: (l) => controller.subscribe(l),
    log,
  });

  // Tray menu actions go through the same router as the popover (same validation, same errors).
  const invoke = (channel: string, arg: unknown, done?: (value: unknown) => void) =>
    void controller.router.invoke(channel, arg).then((r) => {
      if (!r.ok) notify({ level: 'error', message: r.error.message, code: r.error.code });
      else done?.(r.value);
    });
  const tray = new AppTray({
    iconDir: paths.trayIconDir,
    state: () => controller.trayState(),
    model: () => controller.menuModel(),
    onClick: (bounds) => popover.toggle(bounds),
    actions: {
      connect: (name) =>
        invoke('workspaces:connect', { name }, (v) => {
          // As the popover's button does: the command, ready to paste.
          const { command } = v as { command: string };
          clipboard.writeText(command);
          notify({ level: 'info', message: `${name} is ready: "${command}" copied` });
        }),
      open: (name) => invoke('editors:open', { name }),
      start: (name) => invoke('workspaces:start', { name }),
      stop: (name) => invoke('workspaces:stop', { name }),
      show: () => popover.show(tray.bounds()),
      showLogs: () => invoke('logs:show', undefined),
      restartToUpdate: () => invoke('update:restart', undefined),
      saveDiagnostics: () =>
        invoke('diagnostics:save', undefined, (v) => {
          const { path } = v as { path?: string };
          if (path) notify({ level: 'info', message: `Diagnostics saved to ${path}` });
        }),
      quit: () => app.quit(),
    },
  });

  const gate = new NoticeGate();
  function notify(notice: Notice): void {
    void settings.get().then(
      (s) => {
        if (!gate.shouldShow(notice, s.notifications, Date.now()) || !Notification.isSupported()) return;
        const n = new Notification({
          title: 'RunCode Tray',
          body: notice.message,
          silent: notice.level === 'info',
        });
        n.on('click', () => popover.show(tray.bounds()));
        n.show();
      },
      () => undefined,
    );
  }
  if (ui.notice) notify({ level: 'warning', message: ui.notice });
  const stopEvents = controller.subscribe((event, payload) => {
    tray.update();
    if (event === 'notice') {
      const n = payload as Notice;
      tryLog(
        'tray',
        n.level === 'error' ? 'error' : n.level === 'warning' ? 'warn' : 'info',
        `notice: ${n.message}`,
      );
    }
    if (event === 'notice') notify(payload as Notice);
  });

  // After sleep or unlock: renew what is due, reconnect forwards and the live feed now.
  const resume = () => controller.resume();
  powerMonitor.on('resume', resume);
  powerMonitor.on('unlock-screen', resume);

  app.on('second-instance', () => popover.show(tray.bounds()));

  let disposed = false;
  app.on('before-quit', (e) => {
    if (disposed) return;
    e.preventDefault();
    disposed = true;
    void disposeAll([
      ['power monitor', () => void powerMonitor.off('resume', resume).off('unlock-screen', resume)],
      ['events', stopEvents],
      ['ipc', stopIpc],
      ['controller', () => controller.dispose()],
      ['sandbox', () => sandbox.stop()],
      ['core', () => runcode.dispose()],
      ['tray', () => tray.destroy()],
      ['window', () => popover.destroy()],
    ]).finally(() => app.quit());
  });

  await popover.load();
  // Only when it differs: a user's own login item is not rewritten on every launch.
  const saved = await settings.get().catch(() => undefined);
  if (saved && (await loginItemEnabled()) !== saved.launchAtLogin) applyLoginItem(saved);
  try {
    await controller.start();
  } catch (e) {
    // Still a working tray: the popover shows the session's state and the doctor can explain.
    log(`start: ${e instanceof Error ? e.message : String(e)}`);
  }
  tray.update();
}

if (!app.requestSingleInstanceLock()) {
  // Another copy is running: it shows its popover (second-instance); this one leaves.
  app.quit();
} else {
  main().catch((e: unknown) => {
    log(`failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    app.exit(1);
  });
}
