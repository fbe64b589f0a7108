// Opens a URL in the user's default browser. Only http(s) URLs, so a hostile value cannot launch
// a file or another scheme; the opener gets it as one argv element (osOpener.ts).
import { RuncodeError } from '../errors.js';
import type { OpenerCommand } from './osOpener.js';
import { openerCommand, runOpener } from './osOpener.js';

export type BrowserCommand = OpenerCommand;

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
  return openerCommand(parsed.href, platform);
}

/** Rejects with 'browser_failed' if the opener cannot start or fails quickly. */
export function openBrowser(
  url: string,
  platform: NodeJS.Platform = process.platform,
  graceMs = 2000,
): Promise<void> {
  const cmd = browserCommand(url, platform);
  return runOpener(cmd, {
    platform,
    graceMs,
    failure: (why) =>
      new RuncodeError('browser_failed', `could not open a browser with ${cmd.file} (${why})`),
  });
}
