// The UpdateBackend over electron-updater (core's Updater decides when; this only does). Loaded
// only in a packaged app: electron-updater reads the app-update.yml that electron-builder's
// `publish` (electron-builder.yml) writes into it.
import type { UpdateBackend } from '../core/updates/updater.js';

export async function electronUpdateBackend(log: (line: string) => void): Promise<UpdateBackend> {
  const { autoUpdater } = (await import('electron-updater')).default;
  // Core decides when to download; a downloaded update also installs on a normal quit.
  autoUpdater.autoDownload = false;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.logger = {
    info: (m?: unknown) => log(`updater: ${String(m)}`),
    warn: (m?: unknown) => log(`updater: warning: ${String(m)}`),
    error: (m?: unknown) => log(`updater: error: ${String(m)}`),
    debug: () => undefined,
  };
  return {
    async check() {
      const r = await autoUpdater.checkForUpdates();
      return r?.isUpdateAvailable ? { version: r.updateInfo.version } : undefined;
    },
    async download() {
      await autoUpdater.downloadUpdate();
    },
    install() {
      autoUpdater.quitAndInstall();
    },
  };
}
