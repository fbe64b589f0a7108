// openBrowser runs the platform opener with the URL as one argv element, never via a shell.
// On this machine a fake `xdg-open` on PATH records what it was given.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browserCommand, openBrowser } from './openBrowser.js';

describe('browserCommand', () => {
  const url = 'https://example.com/a b?x=1&y="2";rm -rf ~';
  it.each([
    ['darwin', 'open', []],
    ['linux', 'xdg-open', []],
    ['freebsd', 'xdg-open', []],
    ['win32', 'rundll32', ['url.dll,FileProtocolHandler']],
  ] as const)('on %s uses %s with the URL percent-encoded as one argument', (platform, file, pre) => {
    const cmd = browserCommand(url, platform);
    expect(cmd.file).toBe(file);
    expect(cmd.args).toEqual([...pre, 'https://example.com/a%20b?x=1&y=%222%22;rm%20-rf%20~']);
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'vscode://x', 'not a url', '-h'])(
    'refuses %s',
    (bad) => {
      expect(() => browserCommand(bad, 'linux')).toThrow(expect.objectContaining({ code: 'bad_url' }));
    },
  );
});

if (process.platform !== 'linux')
  console.warn('openBrowser process tests use a fake xdg-open: Linux only, skipped here');

describe('openBrowser (fake xdg-open)', () => {
  let dir: string;
  let savedPath: string | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-open-'));
    savedPath = process.env.PATH;
    process.env.PATH = `${dir}${path.delimiter}${savedPath}`;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const fake = (body: string) =>
    fs.writeFileSync(path.join(dir, 'xdg-open'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });

  it.runIf(process.platform === 'linux')('passes the URL as a single argument', async () => {
    fake(`printf '%s\\n' "$#" "$1" > "${dir}/args"`);
    await openBrowser('http://127.0.0.1:1/x?a=1&b=$(touch pwned)', 'linux');
    expect(fs.readFileSync(path.join(dir, 'args'), 'utf8')).toBe(
      '1\nhttp://127.0.0.1:1/x?a=1&b=$(touch%20pwned)\n',
    );
    expect(fs.existsSync('pwned')).toBe(false);
  });

  it.runIf(process.platform === 'linux')('reports an opener that fails', async () => {
    fake('exit 3');
    await expect(openBrowser('https://example.com', 'linux')).rejects.toMatchObject({
      code: 'browser_failed',
      message: expect.stringMatching(/exit code 3/),
    });
  });

  it.runIf(process.platform === 'linux')('does not wait for an opener that keeps running', async () => {
    // It outlives the test's timeout: waiting for it would fail the test (it is detached, unref'd).
    fake('sleep 120');
    await openBrowser('https://example.com', 'linux', 200);
  });
});
