// The CLI's composition root: the same core as the tray, with the OS keychain (or a 0600 file
// and a warning) for the token and settings.json for settings.
import fs from 'node:fs';
import { RuncodeApp } from '../core/app/runcodeApp.js';
import { sshConfigPath, stateDir } from '../core/paths.js';
import { openCliSecretStore } from '../core/secrets/openCliSecretStore.js';
import { SettingsFile } from '../core/state/settingsFile.js';

export async function openCliApp(): Promise<RuncodeApp> {
  const dir = stateDir();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secrets = await openCliSecretStore(dir);
  return new RuncodeApp({
    stateDir: dir,
    sshConfigPath: sshConfigPath(),
    secrets,
    settings: new SettingsFile(dir),
  });
}

/** Runs `fn` with an app that is always disposed (timers, sockets) afterwards. */
export async function withCliApp<T>(fn: (app: RuncodeApp) => Promise<T>): Promise<T> {
  const app = await openCliApp();
  try {
    return await fn(app);
  } finally {
    await app.dispose();
  }
}
