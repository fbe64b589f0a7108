// Opens a URL in the user's default browser, never through a shell string: the URL is one
// argv element. Only http(s) URLs, so a hostile value cannot launch a file or another scheme.
import { spawn } from 'node:child_process';
import { RuncodeError } from '../errors.js';

export interface BrowserCommand {
  file: string;
  args: string[];
}

/** The command that opens `url` on `platform`; exported for tests. */
export function browserCommand(url: string, platform: NodeJS.Platform = process.platform): BrowserCommand {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RuncodeError('bad_url', 'refusing to open something that is not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new RuncodeError('bad_url', `refusing to open a ${parsed.protocol} URL in the browser`);
  }
  // The serialised form is percent-encoded: no spaces, quotes or control characters survive.
  const href = parsed.href;
  if (platform === 'darwin') return { file: 'open', args: [href] };
  if (platform === 'win32') {
    // rundll32 takes the URL as one argument and, unlike `cmd /c start`, never parses `&` or `^`.
    return { file: 'rundll32', args: ['url.dll,FileProtocolHandler', href] };
  }
  return { file: 'xdg-open', args: [href] };
}

/**
 * Starts the platform's opener. Resolves when it exits 0, or is still running after `graceMs`
 * (some openers wait for the browser); rejects with 'browser_failed' if it cannot start or
 * fails quickly (xdg-open exits 3 when it finds no browser).
 */
export function openBrowser(
  url: string,
  platform: NodeJS.Platform = process.platform,
  graceMs = 2000,
): Promise<void> {
  const { file, args } = browserCommand(url, platform);
  return new Promise((resolve, reject) => {
    const fail = (why: string) =>
      reject(new RuncodeError('browser_failed', `could not open a browser with ${file} (${why})`));
    const child = spawn(file, args, {
      stdio: 'ignore',
      detached: platform !== 'win32',
      windowsHide: true,
      shell: false,
    });
    const timer = setTimeout(() => {
      child.unref();
      resolve();
    }, graceMs);
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
