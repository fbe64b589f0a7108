// Issue 3, "Bad input", at the connect level: a RuncodeApp signed in to a hostile control plane
// that answers /me and the workspace list sanely, then sends a malicious SSH pass (or a malicious
// workspace list). Each answer is refused with an error naming the field, and the ssh config
// (with the user's own lines and a block for an earlier, good connection), the keys dir,
// known_hosts and connections.json stay byte for byte as they were.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuncodeError } from '../errors.js';
import { MemorySecretStore } from '../secrets/memorySecretStore.js';
import { SettingsFile } from '../state/settingsFile.js';
import { fileSnapshot } from '../testing/fileSnapshot.js';
import type { HostileServer, ScriptedAnswer } from '../testing/hostileServer.js';
import { startHostileServer } from '../testing/hostileServer.js';
import { sampleHostKey, sampleSshPass, sampleWorkspace } from '../testing/wireSamples.js';
import { RuncodeApp } from './runcodeApp.js';

const USER_CONFIG =
  'Include ~/.ssh/conf.d/*\n\nHost *\n  ServerAliveInterval 30\n\nHost build\n  HostName b.example.com\n';

let srv: HostileServer;
let app: RuncodeApp;
let root: string;
let stateDir: string;
let sshConfig: string;

const WORKSPACES = [
  sampleWorkspace({ id: 'ws-1', name: 'api' }),
  sampleWorkspace({ id: 'ws-good', name: 'good', workdir: '/home/dev/good' }),
];
const PASS_ROUTE = '/api/v1/workspaces/ws-1/ssh-pass';

beforeAll(async () => {
  srv = await startHostileServer();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-hostile-app-'));
  stateDir = path.join(root, 'state');
  sshConfig = path.join(root, 'home', '.ssh', 'config');
  fs.mkdirSync(path.dirname(sshConfig), { recursive: true });
  fs.writeFileSync(sshConfig, USER_CONFIG, { mode: 0o600 });
  app = new RuncodeApp({
    stateDir,
    sshConfigPath: sshConfig,
    secrets: new MemorySecretStore(),
    settings: new SettingsFile(stateDir),
  });
  srv.on('GET', '/api/v1/me', { json: { id: 'u-1', email: 'dev@example.com', name: 'Dev' } });
  srv.on('GET', '/api/v1/workspaces', { json: { workspaces: WORKSPACES } });
  srv.on('POST', '/api/v1/workspaces/ws-good/ssh-pass', () => ({
    status: 201,
    json: sampleSshPass(new Date(), { user: 'ws-good' }),
  }));
  srv.on('DELETE', /\/ssh-pass$/, { status: 204 });
  await app.session.adoptToken(srv.endpoint, srv.caFile, 'token-for-hostile-tests');
  // An earlier, good connection: its key, pin, record and entry are what must survive untouched.
  await app.connect('good');
  // Our own config has it; ~/.ssh/config is not touched without the opt-in.
  expect(fs.readFileSync(path.join(stateDir, 'ssh_config'), 'utf8')).toMatch(/^Host runcode\.good$/m);
  expect(fs.readFileSync(sshConfig, 'utf8')).toBe(USER_CONFIG);
});

afterAll(async () => {
  await app?.dispose();
  await srv?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

/** Every file connect could touch: the whole state dir (keys, known_hosts, connections.json) and ~/.ssh. */
const everything = () => fileSnapshot([stateDir, path.dirname(sshConfig)]);

async function refusedUntouched(answer: ScriptedAnswer, field: string | RegExp): Promise<RuncodeError> {
  srv.on('POST', PASS_ROUTE, answer);
  const before = everything();
  const keyOf = (name: string) =>
    Object.entries(before).filter(([f]) => new RegExp(`/keys/${name}\\.[0-9a-f]{16}$`).test(f));
  expect(keyOf('good').map(([, v]) => v)).toEqual([expect.stringMatching(/^600 /)]);
  expect(keyOf('api')).toEqual([]);
  const e = await app.connect('api').then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RuncodeError);
  const err = e as RuncodeError;
  expect(err.code).toBe('bad_response');
  if (typeof field === 'string') expect(err.message).toContain(field);
  else expect(err.message).toMatch(field);
  expect(everything()).toEqual(before);
  expect(srv.requests.filter((r) => r.url === PASS_ROUTE && r.method === 'POST').length).toBeGreaterThan(0);
  return err;
}

const pass = (overrides: Record<string, unknown>): ScriptedAnswer => ({
  status: 201,
  json: sampleSshPass(new Date(), overrides),
});
const rsaKey =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7vbqajDhA5XUyH4sqKXb0Jw0q3gVdH0x0yXr8pZ3Q8yZ1cH9f0a8jzXxK1eL5d2M9g3e5bqmK user@host';

describe('connect refuses a hostile SSH pass and changes no file', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'a gateway host with a newline',
      { gateway: { host: '127.0.0.1\nHost *', port: 22 } },
      'sshPass.gateway.host',
    ],
    [
      'a gateway host with a space',
      { gateway: { host: 'gw example.com', port: 22 } },
      'sshPass.gateway.host',
    ],
    ['a gateway host `*`', { gateway: { host: '*', port: 22 } }, 'sshPass.gateway.host'],
    [
      'a gateway host with a leading -',
      { gateway: { host: '-oProxyCommand=x', port: 22 } },
      'sshPass.gateway.host',
    ],
    ['gateway port 0', { gateway: { host: '127.0.0.1', port: 0 } }, 'sshPass.gateway.port'],
    ['gateway port 70000', { gateway: { host: '127.0.0.1', port: 70000 } }, 'sshPass.gateway.port'],
    ['gateway port "22" (a string)', { gateway: { host: '127.0.0.1', port: '22' } }, 'sshPass.gateway.port'],
    ['gateway port 22.5', { gateway: { host: '127.0.0.1', port: 22.5 } }, 'sshPass.gateway.port'],
    ['a user with a leading -', { user: '-oProxyCommand=sh' }, 'sshPass.user'],
    ['a user with a newline', { user: 'ws-api\nHost *' }, 'sshPass.user'],
    ['a user with a space', { user: 'ws api' }, 'sshPass.user'],
    ['a relative workdir', { workdir: 'home/dev/api' }, 'sshPass.workdir'],
    ['a workdir with a newline', { workdir: '/home/dev\n/api' }, 'sshPass.workdir'],
    ['a workdir with ..', { workdir: '/home/dev/../../etc' }, 'sshPass.workdir'],
    ['an RSA host key', { hostKeys: [rsaKey] }, 'sshPass.hostKeys[0]'],
    ['a garbage host key', { hostKeys: ['ssh-ed25519 !!!notbase64'] }, 'sshPass.hostKeys[0]'],
    [
      'a host key with a newline',
      { hostKeys: [`${sampleHostKey()}\nevil ssh-ed25519 AAAA`] },
      'sshPass.hostKeys[0]',
    ],
    ['an empty host key list', { hostKeys: [] }, 'sshPass.hostKeys'],
    ['host keys as a string', { hostKeys: sampleHostKey() }, 'sshPass.hostKeys'],
    [
      'an expiry in the past',
      { expiresAt: new Date(Date.now() - 60_000).toISOString() },
      'sshPass.expiresAt',
    ],
    [
      'an expiry 10 years out',
      { expiresAt: new Date(Date.now() + 3650 * 86_400_000).toISOString() },
      'sshPass.expiresAt',
    ],
    ['an expiry that is not a date', { expiresAt: 'tomorrow' }, 'sshPass.expiresAt'],
    ['an expiry as a number', { expiresAt: Date.now() + 60_000 }, 'sshPass.expiresAt'],
    ['a user as a number', { user: 42 }, 'sshPass.user'],
    ['a gateway as a string', { gateway: '127.0.0.1:22' }, 'sshPass.gateway'],
    ['no gateway at all', { gateway: undefined }, 'sshPass.gateway'],
  ])('%s', async (_what, overrides, field) => {
    await refusedUntouched(pass(overrides), field);
  });

  it.each<[string, ScriptedAnswer]>([
    ['null', { status: 201, json: null }],
    ['an array', { status: 201, json: [sampleSshPass()] }],
    ['a string', { status: 201, json: 'pass' }],
  ])('a body that is %s', async (_what, answer) => {
    await refusedUntouched(answer, /sshPass/);
  });

  it('a 5 MiB body', async () => {
    const huge = JSON.stringify({ ...sampleSshPass(), padding: 'x'.repeat(5 * 1024 * 1024) });
    const err = await refusedUntouched(
      { status: 201, raw: huge, headers: { 'content-type': 'application/json' }, chunked: true },
      /larger than \d+ KiB/,
    );
    expect(err.message).not.toContain('xxxx');
  });

  it('the control: a sane pass for the same workspace is accepted', async () => {
    srv.on('POST', PASS_ROUTE, pass({ user: 'ws-api' }));
    const before = everything();
    const { record } = await app.connect('api');
    expect(everything()).not.toEqual(before);
    expect(fs.readFileSync(path.join(stateDir, 'ssh_config'), 'utf8')).toMatch(/^Host runcode\.api$/m);
    expect(fs.existsSync(app.keys.paths('api', record.publicKey).privateKeyPath)).toBe(true);
    await app.disconnect('api');
    expect(fs.readdirSync(path.join(stateDir, 'keys')).filter((f) => f.startsWith('api'))).toEqual([]);
  });
});

describe('connect refuses a hostile workspace list and changes no file', () => {
  it.each<[string, unknown]>([
    ['a newline', 'api\nHost *'],
    ['a space', 'my api'],
    ['a star', 'api*'],
    ['a hash', 'api#1'],
    ['a percent', 'api%h'],
    ['a double quote', 'api"x'],
    ['a single quote', "api'x"],
    ['non-ASCII', 'apí'],
    ['a leading -', '-oProxyCommand=x'],
    ['a number', 7],
  ])('a name with %s', async (_what, name) => {
    srv.on('GET', '/api/v1/workspaces', {
      json: { workspaces: [...WORKSPACES, sampleWorkspace({ id: 'ws-evil', name })] },
    });
    try {
      const before = everything();
      const posts = srv.requests.filter((r) => r.method === 'POST').length;
      for (const target of ['api', String(name)]) {
        const e = await app.connect(target).then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(e).toBeInstanceOf(RuncodeError);
        expect((e as RuncodeError).code).toBe('bad_response');
        expect((e as RuncodeError).message).toContain('workspaces[2].name');
      }
      expect(everything()).toEqual(before);
      expect(srv.requests.filter((r) => r.method === 'POST').length).toBe(posts); // no pass asked for
    } finally {
      srv.on('GET', '/api/v1/workspaces', { json: { workspaces: WORKSPACES } });
    }
  });
});
