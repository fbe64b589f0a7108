// openExternalUrl opens exactly what assertAllowedUrl allows, with the URL as one argv element of
// the platform opener. On Linux a fake `xdg-open` (found through the env's PATH) records its args.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { externalUrlCommand, openExternalUrl } from './openExternalUrl.js';

const VSCODE = 'vscode://vscode-remote/ssh-remote+runcode.api/work/my%20project';

describe('externalUrlCommand', () => {
  it.each([
    ['darwin', 'open', []],
    ['linux', 'xdg-open', []],
    ['win32', 'rundll32', ['url.dll,FileProtocolHandler']],
  ] as const)('on %s uses %s with the URL as one argument', (platform, file, pre) => {
    expect(externalUrlCommand(VSCODE, platform)).toEqual({ file, args: [...pre, VSCODE] });
  });

  it.each([
    VSCODE,
    'vscode-insiders://vscode-remote/ssh-remote+runcode.api/w',
    'cursor://vscode-remote/ssh-remote+runcode.api/w',
    'windsurf://vscode-remote/ssh-remote+runcode.api/w',
    'zed://ssh/runcode.api/w',
    'jetbrains-gateway://connect#host=runcode.api&port=22&user=ws-api&type=ssh&deploy=false&projectPath=%2Fw',
    'https://ide.example.com/api',
    'http://127.0.0.1:8080/',
  ])('allows %s', (url) => {
    expect(externalUrlCommand(url, 'linux').args).toEqual([url]);
  });

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://host/share',
    'ms-settings:',
    'http://example.com/',
    'vscode://x y',
    'vscode\t://x',
    '-h',
    'https://user:pw@example.com/',
  ])('refuses %s before anything runs', (bad) => {
    expect(() => externalUrlCommand(bad, 'linux')).toThrow(expect.objectContaining({ code: 'bad_url' }));
  });
});

if (process.platform !== 'linux')
  console.warn('openExternalUrl process tests use a fake xdg-open: Linux only, skipped here');

describe.runIf(process.platform === 'linux')('openExternalUrl (fake xdg-open)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-open-ext-'));
    env = { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const fake = (body: string) =>
    fs.writeFileSync(path.join(dir, 'xdg-open'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });

  it('passes an editor URL as a single argument', async () => {
    fake(`printf '%s\\n' "$#" "$1" > "${dir}/args"`);
    await openExternalUrl(VSCODE, { platform: 'linux', env });
    expect(fs.readFileSync(path.join(dir, 'args'), 'utf8')).toBe(`1\n${VSCODE}\n`);
  });

  it('reports an opener that finds no handler', async () => {
    fake('exit 4');
    await expect(
      openExternalUrl('zed://ssh/runcode.api/w', { platform: 'linux', env }),
    ).rejects.toMatchObject({
      code: 'launch_failed',
      message: expect.stringMatching(/a zed: URL with xdg-open \(exit code 4\)/),
    });
  });

  it('refuses a disallowed scheme without starting the opener', async () => {
    fake(`touch "${dir}/ran"`);
    await expect(openExternalUrl('file:///etc/passwd', { platform: 'linux', env })).rejects.toMatchObject({
      code: 'bad_url',
    });
    expect(fs.existsSync(path.join(dir, 'ran'))).toBe(false);
  });
});
