// ApiClient against the real `runcode server` (a child process, over HTTPS with its own CA):
// every call of protocol v1 that the client makes, and the errors a user meets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../auth/signIn.js';
import { generateEd25519KeyPair, parseEd25519PublicKey } from '../ssh/opensshKey.js';
import { browse } from '../testing/fakeBrowser.js';
import type { LocalServerProcess } from '../testing/localServerProcess.js';
import { startLocalServerProcess } from '../testing/localServerProcess.js';
import { createTestTls } from '../testing/testTls.js';
import { ApiClient } from './apiClient.js';
import { refusal } from '../testing/refusal.js';

let srv: LocalServerProcess;
let api: ApiClient;

async function login(): Promise<string> {
  const anon = new ApiClient({ endpoint: srv.endpoint, caFile: srv.caFile });
  try {
    return (await signIn({ api: anon, caFile: srv.caFile, openUrl: (url) => void browse(srv, url) }))
      .accessToken;
  } finally {
    anon.close();
  }
}

beforeAll(async () => {
  srv = await startLocalServerProcess({ autoApprove: true, passTtlSeconds: 600 });
  const token = await login();
  api = new ApiClient({ endpoint: srv.endpoint, caFile: srv.caFile, token });
});
afterAll(async () => {
  api?.close();
  await srv?.close();
});

describe('ApiClient against runcode server', () => {
  it('me, list and get', async () => {
    const me = await api.me();
    expect(typeof me.id).toBe('string');
    const list = await api.listWorkspaces();
    expect(list.map((w) => w.name)).toContain('api');
    const first = list[0]!;
    expect(await api.getWorkspace(first.id)).toMatchObject({ id: first.id, name: first.name });
  });

  it('start, wait for running, pass, revoke, stop', async () => {
    const ws = (await api.listWorkspaces())[0]!;
    const started = await api.startWorkspace(ws.id);
    expect(['starting', 'running']).toContain(started.state);
    for (let i = 0; i < 100 && (await api.getWorkspace(ws.id)).state !== 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await api.getWorkspace(ws.id)).state).toBe('running');

    const key = generateEd25519KeyPair('test');
    const pass = await api.createSshPass(ws.id, key.publicKey);
    expect(pass.gateway.port).toBe(Number(srv.gateway.split(':').at(-1)));
    expect(pass.hostKeys.every((k) => parseEd25519PublicKey(k)?.line === k)).toBe(true);
    const ttl = Date.parse(pass.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(500_000);
    expect(ttl).toBeLessThanOrEqual(600_000);
    await api.revokeSshPass(ws.id, key.publicKey);

    const stopping = await api.stopWorkspace(ws.id);
    expect(['stopping', 'stopped']).toContain(stopping.state);
  });

  it('an unknown workspace is not_found', async () => {
    expect((await refusal(api.getWorkspace('no-such-workspace'))).code).toBe('not_found');
    expect((await refusal(api.startWorkspace('no-such-workspace'))).code).toBe('not_found');
  });

  it('a bad token is unauthorized, telling the user to sign in again', async () => {
    const bad = new ApiClient({ endpoint: srv.endpoint, ca: srv.ca, token: 'not-a-real-token-at-all' });
    try {
      const e = await refusal(bad.listWorkspaces());
      expect([e.code, e.message]).toEqual(['unauthorized', expect.stringMatching(/sign in again/)]);
    } finally {
      bad.close();
    }
  });

  it('a code can be exchanged once only', async () => {
    const anon = new ApiClient({ endpoint: srv.endpoint, ca: srv.ca });
    try {
      let redirectUri = '';
      let code = '';
      let verifierSeen = '';
      const fake = {
        endpoint: anon.endpoint,
        exchangeCode: async (x: { code: string; redirectUri: string; codeVerifier: string }) => {
          [code, redirectUri, verifierSeen] = [x.code, x.redirectUri, x.codeVerifier];
          return anon.exchangeCode(x);
        },
      };
      await signIn({ api: fake, caFile: srv.caFile, openUrl: (url) => void browse(srv, url) });
      expect(verifierSeen).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const e = await refusal(anon.exchangeCode({ code, redirectUri, codeVerifier: verifierSeen }));
      expect(e.code).toBe('request_refused');
    } finally {
      anon.close();
    }
  });

  it('revokeToken makes the token unusable', async () => {
    const c = new ApiClient({ endpoint: srv.endpoint, ca: srv.ca, token: await login() });
    try {
      await c.me();
      await c.revokeToken();
      expect((await refusal(c.me())).code).toBe('unauthorized');
    } finally {
      c.close();
    }
  });

  it('a CA that is not the server one is a tls error', async () => {
    const other = await createTestTls();
    const c = new ApiClient({ endpoint: srv.endpoint, ca: other.ca, token: 'x'.repeat(20) });
    try {
      expect((await refusal(c.me())).code).toBe('tls');
    } finally {
      c.close();
    }
  });
});
