// Hands an editor URL (vscode://, zed://, jetbrains-gateway://, ...), a browser IDE https:// URL
// or a loopback forward's http:// URL to the OS opener: the CLI's counterpart of Electron's
// shell.openExternal. openBrowser takes only http(s); the editor schemes need the OS opener too.
// Only what assertAllowedUrl lets through is opened, as one argv element, never through a shell.
import { spawn } from 'node:child_process';
import { assertAllowedUrl } from '../editors/allowedUrl.js';
import { RuncodeError } from '../errors.js';
import type { BrowserCommand } from './openBrowser.js';

export interface OpenExternalOptions {
  platform?: NodeJS.Platform;
  /** How long a still-running opener counts as success (some wait for the app). Default 2 s. */
  graceMs?: number;
  /** The environment the opener runs with (tests point PATH at a fake opener). */
  env?: NodeJS.ProcessEnv;
}

/** The command that opens `url` on `platform`; throws `bad_url` for anything not allowlisted. */
export function externalUrlCommand(
  url: string,
  platform: NodeJS.Platform = process.platform,
): BrowserCommand {
  const allowed = assertAllowedUrl(url);
  if (platform === 'darwin') return { file: 'open', args: [allowed] };
  // rundll32 takes the URL as one argument and, unlike `cmd /c start`, never parses `&` or `^`.
  if (platform === 'win32') return { file: 'rundll32', args: ['url.dll,FileProtocolHandler', allowed] };
  return { file: 'xdg-open', args: [allowed] };
}

/**
 * Starts the platform's opener. Resolves when it exits 0 or is still running after `graceMs`;
 * rejects with `open_failed` when it cannot start or fails quickly (xdg-open exits 3 or 4 when
 * no application handles the scheme).
 */
export function openExternalUrl(url: string, o: OpenExternalOptions = {}): Promise<void> {
  const platform = o.platform ?? process.platform;
  let cmd: BrowserCommand;
  try {
    cmd = externalUrlCommand(url, platform);
  } catch (e) {
    return Promise.reject(e);
  }
  const { file, args } = cmd;
  return new Promise((resolve, reject) => {
    const fail = (why: string) =>
      reject(
        new RuncodeError(
          'open_failed',
          `could not open ${scheme(url)} with ${file} (${why}); is an application registered for it?`,
        ),
      );
    const child = spawn(file, args, {
      stdio: 'ignore',
      detached: platform !== 'win32',
      windowsHide: true,
      shell: false,
      env: o.env ?? process.env,
    });
    const timer = setTimeout(() => {
      child.unref();
      resolve();
    }, o.graceMs ?? 2000);
    child.on('error', (e) => {
      clearTimeout(timer);
      fail((e as NodeJS.ErrnoException).code ?? e.message);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else fail(signal ? `killed by ${signal}` : `exit code ${code}`);
    });
  });
}

function scheme(url: string): string {
  return `a ${url.slice(0, url.indexOf(':'))}: URL`;
}
