// `runcode login` as a user runs it (issue 3, "Done means"): through the consent page, through
// --auto-approve, a denial, a plain-HTTP endpoint and bad usage, against `runcode server`.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliServer } from './testing/cliSandbox.js';
import { CliSandbox, requireBuiltCli, startCliServer } from './testing/cliSandbox.js';

let consent: CliServer;
let auto: CliServer;
const boxes: CliSandbox[] = [];
const sandbox = () => {
  const b = new CliSandbox();
  boxes.push(b);
  return b;
};

beforeAll(async () => {
  requireBuiltCli();
  [consent, auto] = await Promise.all([startCliServer(), startCliServer({ autoApprove: true })]);
});
afterAll(async () => {
  await Promise.all([consent?.close(), auto?.close()]);
});
afterEach(async () => {
  await Promise.all(boxes.splice(0).map((b) => b.dispose()));
});

const tokenFile = (b: CliSandbox) => path.join(b.stateDir, 'secrets', 'token');

describe('runcode login --no-browser', () => {
  it('through the consent page: Approve signs in, the token is saved, `list` works', async () => {
    const b = sandbox();
    const r = await b.login(consent, 'approve');
    expect(r.url).toMatch(/code_challenge_method=S256/);
    expect(r.page.status).toBe(200);
    expect(r.page.text).toMatch(/close this tab/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Signed in to ${consent.endpoint} as .+ <.+>\\n$`));
    expect(r.stderr).toMatch(/waiting for the browser/);
    // The token is stored somewhere the next command finds it, and never printed.
    const list = await b.run(['list']);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+STATE\s+SSH\s+PORTS\n/);
    if (fs.existsSync(tokenFile(b))) {
      const token = fs.readFileSync(tokenFile(b), 'utf8');
      expect((fs.statSync(tokenFile(b)).mode & 0o777).toString(8)).toBe('600');
      expect(r.stderr).toMatch(/warning: no OS keychain/); // never a plaintext file silently
      for (const out of [r.stdout, r.stderr, list.stdout, list.stderr]) expect(out).not.toContain(token);
    }
  });

  it('through --auto-approve: the authorize URL redirects at once', async () => {
    const b = sandbox();
    const r = await b.login(auto);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Signed in to https:\/\/127\.0\.0\.1:\d+ as /);
    const list = await b.run(['list', '--json']);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as unknown[]).length).toBeGreaterThan(0);
  });

  it('Deny in the browser: exit 1, one clear line, nothing saved', async () => {
    const b = sandbox();
    const r = await b.login(consent, 'deny');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n').at(-1)).toBe('runcode: sign-in was denied in the browser');
    expect(r.page.text).toMatch(/Sign-in cancelled/);
    expect(fs.existsSync(tokenFile(b))).toBe(false);
    const list = await b.run(['list']);
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/not signed in/);
  });

  it('a plain-HTTP endpoint: exit 1, refused as insecure before anything is sent', async () => {
    const b = sandbox();
    const r = await b.run(['login', '--no-browser', '--endpoint', 'http://127.0.0.1:9/']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^runcode: refusing the plain-HTTP endpoint http:\/\/127\.0\.0\.1:9: .*HTTPS only/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/oauth\/authorize/);
  });

  it('without an endpoint (first run): exit 1 saying to pass --endpoint', async () => {
    const r = await sandbox().run(['login', '--no-browser']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--endpoint https:/);
  });

  it.each([
    [['login', '--bogus']],
    [['login', 'extra']],
    [['login', '--endpoint']],
    [['list', '--jsonn']],
    [['start']],
    [['connect', 'a', 'b']],
    [['no-such-command']],
    [[]],
  ])('bad usage %j: exit 2 with one line on stderr', async (args) => {
    const r = await sandbox().run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      args.length ? /^runcode[ :].*\(see runcode( \S+)? --help\)\n$/ : /usage: runcode/,
    );
  });
});
