// `runcode logs [-f]` and the CLI's own log, through the built bin/runcode in a sandboxed HOME.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CliSandbox, requireBuiltCli } from './testing/cliSandbox.js';

beforeAll(() => requireBuiltCli());
let sb: CliSandbox | undefined;
afterEach(async () => {
  await sb?.dispose();
  sb = undefined;
});

describe('runcode logs', () => {
  it('says when there are no logs; a failed command is logged (redacted) and shown, and -f follows', async () => {
    sb = new CliSandbox('runcode-logs-');
    const none = await sb.run(['logs']);
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/^no logs yet in .*logs\n$/);
    expect((await sb.run(['logs', '--path'])).stdout).toBe(`${path.join(sb.stateDir, 'logs')}\n`);

    const failed = await sb.run(['stop', 'api']);
    expect(failed.code).toBe(1);
    const log = fs.readFileSync(path.join(sb.stateDir, 'logs', 'cli.log'), 'utf8');
    expect(log).toMatch(/\[error\]\s+runcode stop: RuncodeError: /);

    const shown = await sb.run(['logs', '--kind', 'cli']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe(log);

    const follow = sb.spawn(['logs', '-f', '-n', '0']);
    try {
      // Started: it printed the header for the one log there is.
      await expect.poll(() => follow.stdout(), { timeout: 15_000 }).toMatch(/==> cli /);
      expect((await sb.run(['start', 'web'])).code).toBe(1);
      await expect.poll(() => follow.stdout(), { timeout: 15_000 }).toMatch(/runcode start: RuncodeError/);
    } finally {
      await follow.stop();
    }

    const bad = await sb.run(['logs', '--kind', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--kind is one of tray, cli, server/);
  });
});
