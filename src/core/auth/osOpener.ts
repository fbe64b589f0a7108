// The platform's URL opener (`open`, `xdg-open`, `rundll32 url.dll,FileProtocolHandler`), started
// with the URL as one argv element and never through a shell. Callers gate what may be opened
// (openBrowser: http(s); openExternalUrl: the editor allowlist) before it gets here.
import { spawn } from 'node:child_process';

export interface OpenerCommand {
  file: string;
  args: string[];
}

/** The command that hands `href` (already checked and serialised) to the OS on `platform`. */
export function openerCommand(href: string, platform: NodeJS.Platform): OpenerCommand {
  if (platform === 'darwin') return { file: 'open', args: [href] };
  // rundll32 takes the URL as one argument and, unlike `cmd /c start`, never parses `&` or `^`.
  if (platform === 'win32') return { file: 'rundll32', args: ['url.dll,FileProtocolHandler', href] };
  return { file: 'xdg-open', args: [href] };
}

export interface RunOpenerOptions {
  platform: NodeJS.Platform;
  /** How long a still-running opener counts as success (some wait for the app). */
  graceMs: number;
  env?: NodeJS.ProcessEnv;
  /** The error for a opener that could not start or failed quickly. */
  failure: (why: string) => Error;
}

/**
 * Starts the opener. Resolves when it exits 0, or is still running after `graceMs`; rejects with
 * `failure(why)` if it cannot start or fails quickly (xdg-open exits 3 or 4 when nothing handles
 * the URL).
 */
export function runOpener({ file, args }: OpenerCommand, o: RunOpenerOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: 'ignore',
      detached: o.platform !== 'win32',
      windowsHide: true,
      shell: false,
      env: o.env ?? process.env,
    });
    const timer = setTimeout(() => {
      child.unref();
      resolve();
    }, o.graceMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(o.failure((e as NodeJS.ErrnoException).code ?? e.message));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(o.failure(signal ? `killed by ${signal}` : `exit code ${code}`));
    });
  });
}
