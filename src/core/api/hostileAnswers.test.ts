// Issue 3, "Bad input": a hostile or broken control plane, one test per malicious answer, each
// driven through the real ApiClient over HTTPS and refused with an error naming the field.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RuncodeError } from '../errors.js';
import { generateEd25519KeyPair } from '../ssh/opensshKey.js';
import type { HostileServer } from '../testing/hostileServer.js';
import { startHostileServer } from '../testing/hostileServer.js';
import { sampleHostKey, sampleSshPass, sampleWorkspace } from '../testing/wireSamples.js';
import { ApiClient } from './apiClient.js';

let srv: HostileServer;
let api: ApiClient;
const NOW = new Date();
const userKey = generateEd25519KeyPair().publicKey;

beforeAll(async () => {
  srv = await startHostileServer();
  api = new ApiClient({ endpoint: srv.endpoint, ca: srv.ca, token: 'token-for-tests', now: () => NOW });
});
afterAll(async () => {
  api.close();
  await srv.close();
});
afterEach(() => srv.reset());

async function refused(p: Promise<unknown>, field: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RuncodeError);
  expect((e as RuncodeError).code).toBe('bad_response');
  expect((e as RuncodeError).message).toContain(field);
  expect((e as RuncodeError).message).toMatch(/refusing it/);
}

function listWith(overrides: Record<string, unknown>): Promise<unknown> {
  srv.on('GET', '/api/v1/workspaces', {
    json: { workspaces: [sampleWorkspace(), sampleWorkspace({ id: 'ws-2', name: 'web', ...overrides })] },
  });
  return api.listWorkspaces();
}

function passWith(overrides: Record<string, unknown>): Promise<unknown> {
  srv.on('POST', '/api/v1/workspaces/ws-1/ssh-pass', { status: 201, json: sampleSshPass(NOW, overrides) });
  return api.createSshPass('ws-1', userKey);
}

describe('a valid answer passes', () => {
  it('list and pass as the protocol says', async () => {
    srv.on('GET', '/api/v1/workspaces', { json: { workspaces: [sampleWorkspace()], extra: 'ignored' } });
    expect(await api.listWorkspaces()).toEqual([sampleWorkspace()]);
    const key = sampleHostKey();
    srv.on('POST', '/api/v1/workspaces/ws-1/ssh-pass', {
      status: 201,
      json: sampleSshPass(NOW, { hostKeys: [`${key} gateway@host`], gateway: { host: '::1', port: 22 } }),
    });
    const pass = await api.createSshPass('ws-1', userKey);
    expect(pass.hostKeys).toEqual([key]); // stored canonical, comment dropped
    expect(JSON.parse(srv.requests.at(-1)!.body)).toEqual({ publicKey: userKey });
  });
});

describe('workspace names', () => {
  it.each([
    ['a newline', 'api\nHost *'],
    ['a space', 'my api'],
    ['a star', 'api*'],
    ['a hash', 'api#1'],
    ['a percent', 'api%h'],
    ['a double quote', 'api"'],
    ['a single quote', "api'"],
    ['non-ASCII', 'apí'],
    ['a leading dash', '-oProxyCommand'],
    ['upper case', 'API'],
    ['an empty string', ''],
    ['64 characters', 'a'.repeat(64)],
    ['a number', 42],
    ['null', null],
  ])('refuses a name with %s', async (_what, name) => {
    await refused(listWith({ name }), 'workspace name for workspaces[1].name');
  });
});

describe('other workspace fields', () => {
  it.each([
    ['id', { id: '../etc' }, 'workspaces[1].id'],
    ['id (dots only)', { id: '..' }, 'workspaces[1].id'],
    ['state', { state: 'exploded' }, 'workspaces[1].state'],
    ['workdir relative', { workdir: 'home/dev' }, 'workspaces[1].workdir'],
    ['workdir with ..', { workdir: '/home/../etc' }, 'workspaces[1].workdir'],
    ['workdir with NUL', { workdir: '/home/dev\0' }, 'workspaces[1].workdir'],
    ['workdir with newline', { workdir: '/home/dev\nHost *' }, 'workspaces[1].workdir'],
    ['workdir with %', { workdir: '/home/%d' }, 'workspaces[1].workdir'],
    ['workdir with quote', { workdir: '/home/"x' }, 'workspaces[1].workdir'],
    ['workdir too long', { workdir: '/' + 'a'.repeat(2000) }, 'workspaces[1].workdir'],
    ['webIdeUrl http', { webIdeUrl: 'http://ide.example.com/' }, 'workspaces[1].webIdeUrl'],
    ['webIdeUrl javascript', { webIdeUrl: 'javascript:alert(1)' }, 'workspaces[1].webIdeUrl'],
    ['webIdeUrl with credentials', { webIdeUrl: 'https://u:p@ide.example.com/' }, 'workspaces[1].webIdeUrl'],
    ['port 0', { ports: [{ port: 0 }] }, 'workspaces[1].ports[0].port'],
    ['port 65536', { ports: [{ port: 65536 }] }, 'workspaces[1].ports[0].port'],
    ['port fractional', { ports: [{ port: 80.5 }] }, 'workspaces[1].ports[0].port'],
    ['port as string', { ports: [{ port: '80' }] }, 'workspaces[1].ports[0].port'],
    [
      'too many ports',
      { ports: Array.from({ length: 65 }, (_, i) => ({ port: 1000 + i })) },
      'workspaces[1].ports',
    ],
    [
      'port label with control chars',
      { ports: [{ port: 80, label: 'web\u001b[2J' }] },
      'workspaces[1].ports[0].label',
    ],
    ['port label too long', { ports: [{ port: 80, label: 'x'.repeat(65) }] }, 'workspaces[1].ports[0].label'],
    ['ports not a list', { ports: { port: 80 } }, 'workspaces[1].ports'],
    ['updatedAt not ISO', { updatedAt: 'yesterday' }, 'workspaces[1].updatedAt'],
    ['updatedAt missing', { updatedAt: undefined }, 'workspaces[1].updatedAt'],
  ])('refuses a bad %s', async (_what, overrides, field) => {
    await refused(listWith(overrides), field);
  });

  it('says when a field is missing', async () => {
    const e = await listWith({ updatedAt: undefined }).catch((err: RuncodeError) => err);
    expect((e as RuncodeError).message).toMatch(/sent no update time for workspaces\[1\]\.updatedAt/);
  });
});

describe('stateReason (explains only: a bad one is dropped, the workspace still shows)', () => {
  it('keeps a plain sentence', async () => {
    const list = (await listWith({ state: 'failed', stateReason: 'port 8080 is already in use' })) as {
      name: string;
      stateReason?: string;
    }[];
    expect(list[1]).toMatchObject({ name: 'web', stateReason: 'port 8080 is already in use' });
  });

  it.each([
    ['markup', '<img src=x onerror=alert(1)>'],
    ['a tag-like bracket', 'see <b>this</b>'],
    ['an escape sequence', 'failed\u001b[2J'],
    ['a newline', 'failed\nHost *'],
    ['a bidi override', 'port \u202e0808'],
    ['too long', 'x'.repeat(301)],
    ['empty', ''],
    ['only spaces', '   '],
    ['a number', 42],
    ['an object', { text: 'x' }],
  ])('drops a reason with %s and keeps the workspace', async (_what, stateReason) => {
    const list = (await listWith({ state: 'failed', stateReason })) as Record<string, unknown>[];
    expect(list).toHaveLength(2);
    expect(list[1]).toMatchObject({ name: 'web', state: 'failed' });
    expect(list[1]).not.toHaveProperty('stateReason');
  });

  it('is still refused for the fields that matter, reason or not', async () => {
    await refused(listWith({ stateReason: 'fine', name: 'bad name' }), 'workspaces[1].name');
  });
});

describe('wrong shapes', () => {
  it.each([
    ['a list that is an object', { workspaces: { 0: sampleWorkspace() } }, 'workspaces'],
    ['a bare array', [sampleWorkspace()], 'workspace list for the answer'],
    ['null', null, 'the answer'],
    ['a string', 'ok', 'the answer'],
    ['a workspace that is a string', { workspaces: ['api'] }, 'workspaces[0]'],
  ])('refuses %s for the list', async (_what, json, field) => {
    srv.on('GET', '/api/v1/workspaces', { json });
    await refused(api.listWorkspaces(), field);
  });

  it('refuses a bad account (email with a newline)', async () => {
    srv.on('GET', '/api/v1/me', { json: { id: 'u1', email: 'a@b.c\nEvil', name: 'A' } });
    await refused(api.me(), 'me.email');
  });

  it('refuses a token answer of the wrong type', async () => {
    srv.on('POST', '/oauth/token', { json: { access_token: 12345, token_type: 'Bearer' } });
    await refused(
      api.exchangeCode({ code: 'c', redirectUri: 'http://127.0.0.1:1/callback', codeVerifier: 'v' }),
      'token.access_token',
    );
  });

  it('refuses a token answer that is not a bearer token', async () => {
    srv.on('POST', '/oauth/token', {
      json: { access_token: 'abcdefghijklmnopqrstuvwxyz', token_type: 'mac' },
    });
    await refused(
      api.exchangeCode({ code: 'c', redirectUri: 'http://127.0.0.1:1/callback', codeVerifier: 'v' }),
      'token.token_type',
    );
  });

  it('refuses a huge body', async () => {
    const workspaces = Array.from({ length: 20_000 }, (_, i) =>
      sampleWorkspace({ id: `ws-${i}`, name: `n${i}` }),
    );
    srv.on('GET', '/api/v1/workspaces', { json: { workspaces }, chunked: true });
    const e = await api.listWorkspaces().catch((err: RuncodeError) => err);
    expect([(e as RuncodeError).code, (e as RuncodeError).message]).toEqual([
      'bad_response',
      expect.stringMatching(/larger than .* refusing it/),
    ]);
  });
});

describe('SSH pass fields', () => {
  it.each([
    ['host with a space', { gateway: { host: 'gw example', port: 22 } }, 'sshPass.gateway.host'],
    ['host with a newline', { gateway: { host: 'gw\nProxyCommand sh', port: 22 } }, 'sshPass.gateway.host'],
    ['host with a quote', { gateway: { host: 'gw"', port: 22 } }, 'sshPass.gateway.host'],
    ['host with %', { gateway: { host: 'fe80::1%eth0', port: 22 } }, 'sshPass.gateway.host'],
    ['host with *', { gateway: { host: '*.example.com', port: 22 } }, 'sshPass.gateway.host'],
    ['host with ?', { gateway: { host: 'gw?.example.com', port: 22 } }, 'sshPass.gateway.host'],
    ['host with #', { gateway: { host: 'gw#1', port: 22 } }, 'sshPass.gateway.host'],
    ['host with a leading -', { gateway: { host: '-oProxyCommand=x', port: 22 } }, 'sshPass.gateway.host'],
    ['bracketed host', { gateway: { host: '[::1]', port: 22 } }, 'sshPass.gateway.host'],
    ['host too long', { gateway: { host: 'a'.repeat(300), port: 22 } }, 'sshPass.gateway.host'],
    ['empty host', { gateway: { host: '', port: 22 } }, 'sshPass.gateway.host'],
    ['port 0', { gateway: { host: 'gw', port: 0 } }, 'sshPass.gateway.port'],
    ['port 70000', { gateway: { host: 'gw', port: 70000 } }, 'sshPass.gateway.port'],
    ['port as string', { gateway: { host: 'gw', port: '22' } }, 'sshPass.gateway.port'],
    ['negative port', { gateway: { host: 'gw', port: -22 } }, 'sshPass.gateway.port'],
    ['user with a leading -', { user: '-oProxyCommand=x' }, 'sshPass.user'],
    ['user with a space', { user: 'ws api' }, 'sshPass.user'],
    ['user with a newline', { user: 'ws\nHost *' }, 'sshPass.user'],
    ['user with %', { user: 'ws%u' }, 'sshPass.user'],
    ['user with @', { user: 'ws@evil' }, 'sshPass.user'],
    ['user too long', { user: 'u'.repeat(65) }, 'sshPass.user'],
    ['user as a number', { user: 7 }, 'sshPass.user'],
    ['workdir relative', { workdir: 'api' }, 'sshPass.workdir'],
    ['workdir with ..', { workdir: '/home/dev/..' }, 'sshPass.workdir'],
    ['workdir non-ASCII', { workdir: '/home/dév' }, 'sshPass.workdir'],
    ['host key rsa', { hostKeys: ['ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ'] }, 'sshPass.hostKeys[0]'],
    ['host key junk', { hostKeys: ['ssh-ed25519 AAAAnotakey'] }, 'sshPass.hostKeys[0]'],
    [
      'host key with a newline',
      { hostKeys: [`${sampleHostKey()}\n@cert-authority * ssh-ed25519 AAAA`] },
      'sshPass.hostKeys[0]',
    ],
    ['host keys empty', { hostKeys: [] }, 'sshPass.hostKeys'],
    ['nine host keys', { hostKeys: Array.from({ length: 9 }, sampleHostKey) }, 'sshPass.hostKeys'],
    ['host keys not a list', { hostKeys: sampleHostKey() }, 'sshPass.hostKeys'],
    ['expiry not ISO', { expiresAt: 'soon' }, 'sshPass.expiresAt'],
    ['expiry as a number', { expiresAt: Date.now() + 60_000 }, 'sshPass.expiresAt'],
    ['gateway missing', { gateway: undefined }, 'sshPass.gateway'],
  ])('refuses a %s', async (_what, overrides, field) => {
    await refused(passWith(overrides), field);
  });

  it('refuses an expiry in the past', async () => {
    await refused(passWith({ expiresAt: new Date(NOW.getTime() - 1000).toISOString() }), 'sshPass.expiresAt');
  });

  it('refuses an expiry absurdly far away', async () => {
    await refused(passWith({ expiresAt: '2999-01-01T00:00:00Z' }), 'sshPass.expiresAt');
  });

  it('accepts an expiry with an offset and a hostname gateway', async () => {
    const at = new Date(NOW.getTime() + 3_600_000).toISOString().replace('Z', '+00:00');
    const pass = await passWith({ expiresAt: at, gateway: { host: 'gw.eu-1.example.com', port: 2222 } });
    expect(pass).toMatchObject({ expiresAt: at, gateway: { host: 'gw.eu-1.example.com', port: 2222 } });
  });
});
