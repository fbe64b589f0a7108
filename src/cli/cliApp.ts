// The CLI's composition root: the same core as the tray, with the OS keychain (or a 0600 file
// and a warning) for the token and settings.json for settings.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { RuncodeApp } from '../core/app/runcodeApp.js';
import { sshConfigPath, stateDir } from '../core/paths.js';
import { KEYRING_SERVICE, KeyringSecretStore } from '../core/secrets/keyringSecretStore.js';
import { openCliSecretStore } from '../core/secrets/openCliSecretStore.js';
import { SettingsFile } from '../core/state/settingsFile.js';

export async function openCliApp(): Promise<RuncodeApp> {
  const dir = stateDir();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secrets = await openCliSecretStore(dir, { keyring: new KeyringSecretStore(keyringService(dir)) });
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

/**
 * The keychain service for a state dir. The token belongs with the endpoint in that dir's
 * settings.json, so a second state dir ($RUNCODE_HOME) gets its own entry: sharing one would send
 * one server's token to another (and let parallel test runs overwrite each other's sign-in).
 */
export function keyringService(dir: string, defaultDir: string = stateDir({})): string {
  if (path.resolve(dir) === path.resolve(defaultDir)) return KEYRING_SERVICE;
  const id = crypto.createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 16);
  return `${KEYRING_SERVICE}-${id}`;
}
