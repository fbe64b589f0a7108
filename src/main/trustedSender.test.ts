import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SenderInfo, TrustPolicy } from './trustedSender.js';
import { isTrustedSender } from './trustedSender.js';

const INDEX = '/Applications/RunCode Tray.app/Contents/Resources/app.asar/out/renderer/index.html';
const FILE_URL = pathToFileURL(INDEX).href;
const policy: TrustPolicy = { expectedId: 7, allowedOrigins: [FILE_URL] };
const ok: SenderInfo = { frameUrl: FILE_URL, isMainFrame: true, webContentsId: 7 };

const reason = (s: Partial<SenderInfo>, p: TrustPolicy = policy) => {
  const d = isTrustedSender({ ...ok, ...s }, p);
  return d.ok ? 'trusted' : d.reason;
};

describe('isTrustedSender', () => {
  it('trusts our window, main frame, showing the bundled page (spaces in the path included)', () => {
    expect(FILE_URL).toContain('%20');
    expect(reason({})).toBe('trusted');
    expect(reason({ frameUrl: `${FILE_URL}#/settings` })).toBe('trusted');
    expect(reason({ frameUrl: `${FILE_URL}?x=1` })).toBe('trusted');
    // Chromium may hand back the path with its space undecoded in some forms.
    expect(reason({ frameUrl: `file://${INDEX.replaceAll(' ', '%20')}` })).toBe('trusted');
  });

  it('refuses before the window exists', () => {
    expect(reason({}, { ...policy, expectedId: undefined })).toMatch(/does not exist/);
  });

  it('refuses another webContents (a second window, a devtools page)', () => {
    expect(reason({ webContentsId: 8 })).toMatch(/not the popover window/);
  });

  it('refuses a subframe, even one showing our page', () => {
    expect(reason({ isMainFrame: false })).toMatch(/subframe/);
  });

  it('refuses a frame that is gone or has a bad URL', () => {
    expect(reason({ frameUrl: undefined })).toMatch(/gone/);
    expect(reason({ frameUrl: 'not a url' })).toMatch(/no valid URL/);
    expect(reason({ frameUrl: '' })).toMatch(/no valid URL/);
  });

  it('refuses other files, including look-alikes and traversal', () => {
    expect(reason({ frameUrl: pathToFileURL('/tmp/evil/index.html').href })).toMatch(/not ours/);
    expect(reason({ frameUrl: `${FILE_URL}.html` })).toMatch(/not ours/);
    expect(reason({ frameUrl: FILE_URL.replace('index.html', 'other.html') })).toMatch(/not ours/);
    expect(reason({ frameUrl: FILE_URL.replace('/out/renderer/', '/out/renderer/../../x/') })).toMatch(
      /not ours/,
    );
    expect(reason({ frameUrl: FILE_URL.replace('file:///', 'file://evil-host/') })).toMatch(/not ours/);
    expect(reason({ frameUrl: 'file:///%E0%A4%A' })).toMatch(/not ours/);
  });

  it('refuses remote pages and other schemes', () => {
    for (const frameUrl of [
      'https://evil.example/',
      'http://localhost:5173/',
      'about:blank',
      'data:text/html,<p>x',
      'devtools://devtools/bundled/inspector.html',
      'chrome-error://chromewebdata/',
    ]) {
      expect(reason({ frameUrl }), frameUrl).toMatch(/not ours/);
    }
  });

  it('accepts the dev server only by exact origin, and only when listed', () => {
    const dev: TrustPolicy = { expectedId: 7, allowedOrigins: [FILE_URL, 'http://localhost:5173'] };
    expect(reason({ frameUrl: 'http://localhost:5173/index.html' }, dev)).toBe('trusted');
    expect(reason({ frameUrl: 'http://localhost:5174/' }, dev)).toMatch(/not ours/);
    expect(reason({ frameUrl: 'http://127.0.0.1:5173/' }, dev)).toMatch(/not ours/);
    expect(reason({ frameUrl: 'https://localhost:5173/' }, dev)).toMatch(/not ours/);
    expect(reason({ frameUrl: 'http://localhost.evil.example:5173/' }, dev)).toMatch(/not ours/);
  });

  it('ignores allowlist entries that are not URLs or use other schemes', () => {
    const odd: TrustPolicy = { expectedId: 7, allowedOrigins: ['', 'nonsense', 'data:text/html,x'] };
    expect(reason({ frameUrl: 'data:text/html,x' }, odd)).toMatch(/not ours/);
  });
});
