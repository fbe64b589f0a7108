// Hands an editor URL (vscode://, zed://, jetbrains-gateway://, ...), a browser IDE https:// URL
// or a loopback forward's http:// URL to the OS opener: the CLI's counterpart of Electron's
// shell.openExternal. Only what assertAllowedUrl lets through is opened (osOpener.ts runs it).
import { assertAllowedUrl } from './allowedUrl.js';
import { RuncodeError } from '../errors.js';
import type { OpenerCommand } from '../auth/osOpener.js';
import { openerCommand, runOpener } from '../auth/osOpener.js';

export interface OpenExternalOptions {
  platform?: NodeJS.Platform;
  /** How long a still-running opener counts as success (some wait for the app). Default 2 s. */
  graceMs?: number;
  /** The environment the opener runs with (tests point PATH at a fake opener). */
  env?: NodeJS.ProcessEnv;
}

/** The command that opens `url` on `platform`; throws `bad_url` for anything not allowlisted. */
export function externalUrlCommand(url: string, platform: NodeJS.Platform = process.platform): OpenerCommand {
  return openerCommand(assertAllowedUrl(url), platform);
}

/** Rejects with `launch_failed` when the opener cannot start or fails quickly. */
export async function openExternalUrl(url: string, o: OpenExternalOptions = {}): Promise<void> {
  const platform = o.platform ?? process.platform;
  const cmd = externalUrlCommand(url, platform);
  const scheme = url.slice(0, url.indexOf(':'));
  await runOpener(cmd, {
    platform,
    graceMs: o.graceMs ?? 2000,
    ...(o.env ? { env: o.env } : {}),
    failure: (why) =>
      new RuncodeError(
        'launch_failed',
        `could not open a ${scheme}: URL with ${cmd.file} (${why}); is an application registered for it?`,
      ),
  });
}
