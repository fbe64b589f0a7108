// Sign-in end to end against the real `runcode server` (auto-approve, and the consent page
// answered as its HTML form does), with a scripted "browser" that follows the redirect to our
// loopback listener. Plus what must not end the flow, the timeout and cancelling.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../api/apiClient.js';
import type { Page } from '../testing/fakeBrowser.js';
import { browse, fetchPage } from '../testing/fakeBrowser.js';
import type { LocalServerProcess } from '../testing/localServerProcess.js';
import { startLocalServerProcess } from '../testing/localServerProcess.js';
import { createTestTls } from '../testing/testTls.js';
import { ownerProof } from './ownerSecret.js';
import { signIn } from './signIn.js';
import { refusal } from '../testing/refusal.js';

const redirectOf = (url: string) => new URL(new URL(url).searchParams.get('redirect_uri')!);

async function listenerClosed(url: string): Promise<boolean> {
  return fetchPage(redirectOf(url).href).then(
    () => false,
    (e: NodeJS.ErrnoException) => e.code === 'ECONNREFUSED',
  );
}

let auto: LocalServerProcess;
let consent: LocalServerProcess;
let autoApi: ApiClient;
let consentApi: ApiClient;

beforeAll(async () => {
  [auto, consent] = await Promise.all([
    startLocalServerProcess({ autoApprove: true }),
    startLocalServerProcess(),
  ]);
  autoApi = new ApiClient({ endpoint: auto.endpoint, caFile: auto.caFile });
  consentApi = new ApiClient({ endpoint: consent.endpoint, caFile: consent.caFile });
});
afterAll(async () => {
  autoApi?.close();
  consentApi?.close();
  await Promise.all([auto?.close(), consent?.close()]);
});

describe('signIn against runcode server', () => {
  it('--auto-approve: PKCE S256, a fresh state, the token works, the tab says signed in', async () => {
    let page: Promise<Page> | undefined;
    let shown: string | undefined;
    const { accessToken } = await signIn({
      api: autoApi,
      caFile: auto.caFile,
      onUrl: (u) => (shown = u),
      openUrl: (u) => void (page = browse(auto, u)),
    });
    const q = new URL(shown!).searchParams;
    expect(shown!.startsWith(`${auto.endpoint}/oauth/authorize?`)).toBe(true);
    expect(Object.fromEntries(q)).toMatchObject({
      response_type: 'code',
      client_id: 'runcode-desktop',
      code_challenge_method: 'S256',
    });
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{22}$/); // 128 bits
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const tab = await page!;
    expect(tab.status).toBe(200);
    expect(tab.text).toContain('Signed in to RunCode. You can close this tab.');
    expect(tab.text).not.toMatch(/(src|href)=/);
    expect(tab.headers['content-security-policy']).toMatch(/default-src 'none'/);
    const me = new ApiClient({ endpoint: auto.endpoint, caFile: auto.caFile, token: accessToken });
    try {
      expect((await me.listWorkspaces()).length).toBeGreaterThan(0);
    } finally {
      me.close();
    }
    expect(await listenerClosed(shown!)).toBe(true);
  });

  it('consent page: Approve posts the form and signs in', async () => {
    let page: Promise<Page> | undefined;
    const { accessToken } = await signIn({
      api: consentApi,
      caFile: consent.caFile,
      openUrl: (u) => void (page = browse(consent, u)),
    });
    expect((await page!).text).toContain('Signed in to RunCode');
    const c = new ApiClient({ endpoint: consent.endpoint, ca: consent.ca, token: accessToken });
    try {
      await expect(c.listWorkspaces()).resolves.toBeInstanceOf(Array);
    } finally {
      c.close();
    }
  });

  it('consent page: Deny ends the flow with access_denied', async () => {
    let page: Promise<Page> | undefined;
    const e = await refusal(
      signIn({
        api: consentApi,
        caFile: consent.caFile,
        openUrl: (u) => void (page = browse(consent, u, 'deny')),
      }),
    );
    expect(e.code).toBe('access_denied');
    expect((await page!).text).toContain('cancelled');
  });

  it('a wrong or missing state, another path or method does not end the flow', async () => {
    const seen: Page[] = [];
    let page: Promise<Page> | undefined;
    const { accessToken } = await signIn({
      api: autoApi,
      caFile: auto.caFile,
      openUrl: async (u) => {
        const cb = redirectOf(u);
        const base = `http://127.0.0.1:${cb.port}`;
        const state = new URL(u).searchParams.get('state')!;
        const wrong = state.slice(0, -1) + (state.endsWith('A') ? 'B' : 'A');
        seen.push(await fetchPage(`${base}/callback?code=stolen&state=${wrong}`));
        seen.push(await fetchPage(`${base}/callback?code=stolen`));
        seen.push(await fetchPage(`${base}/callback?error=access_denied&state=x${state}`));
        seen.push(await fetchPage(`${base}/other?code=c&state=${state}`));
        seen.push(await fetchPage(`${base}/callback?code=c&state=${state}`, { method: 'POST' }));
        page = browse(auto, u);
      },
    });
    expect(seen.map((p) => p.status)).toEqual([400, 400, 400, 404, 404]);
    expect((await page!).text).toContain('Signed in to RunCode');
    expect(accessToken.length).toBeGreaterThan(15);
  });

  it('an error with the right state from the server ends the flow', async () => {
    const e = await refusal(
      signIn({
        api: autoApi,
        caFile: auto.caFile,
        openUrl: (u) => {
          const state = new URL(u).searchParams.get('state')!;
          void fetchPage(`${redirectOf(u).href}?error=server_error&state=${state}`);
        },
      }),
    );
    expect([e.code, e.message]).toEqual(['sign_in_failed', expect.stringContaining('"server_error"')]);
  });

  it('gives up after the timeout and closes the listener', async () => {
    let shown = '';
    const e = await refusal(
      signIn({
        api: autoApi,
        caFile: auto.caFile,
        timeoutMs: 150,
        onUrl: (u) => (shown = u),
        openUrl: () => {},
      }),
    );
    expect(e.code).toBe('sign_in_timeout');
    expect(await listenerClosed(shown)).toBe(true);
  });

  it('can be cancelled, and closes the listener', async () => {
    const ac = new AbortController();
    let shown = '';
    const e = await refusal(
      signIn({
        api: autoApi,
        caFile: auto.caFile,
        signal: ac.signal,
        onUrl: (u) => (shown = u),
        openUrl: () => void setTimeout(() => ac.abort(), 20),
      }),
    );
    expect(e.code).toBe('cancelled');
    expect(await listenerClosed(shown)).toBe(true);
    await expect(
      signIn({ api: autoApi, caFile: auto.caFile, signal: ac.signal, openUrl: () => {} }),
    ).rejects.toMatchObject({
      code: 'cancelled',
    });
  });

  it('fails with browser_failed when the browser cannot open and no URL was shown', async () => {
    const e = await refusal(
      signIn({
        api: autoApi,
        caFile: auto.caFile,
        openUrl: () => {
          throw new Error('no display');
        },
      }),
    );
    expect(e.code).toBe('browser_failed');
  });

  it('checks TLS with the given CA before the browser opens: a wrong CA fails with tls and opens nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-wrong-ca-'));
    try {
      const caFile = path.join(dir, 'ca.pem');
      fs.writeFileSync(caFile, (await createTestTls()).ca);
      const api = new ApiClient({ endpoint: auto.endpoint, caFile });
      let opened = 0;
      const e = await refusal(signIn({ api, caFile, onUrl: () => opened++, openUrl: () => void opened++ }));
      api.close();
      expect(e.code).toBe('tls');
      expect(opened).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("carries the local server's owner secret (from beside its CA) in the authorize URL; without it the server refuses", async () => {
    let shown = '';
    let page: Promise<Page> | undefined;
    await signIn({
      api: autoApi,
      caFile: auto.caFile,
      onUrl: (u) => (shown = u),
      openUrl: (u) => void (page = browse(auto, u)),
    });
    await page;
    const secret = fs.readFileSync(path.join(path.dirname(auto.caFile), 'owner-secret'), 'utf8').trim();
    // Not the secret itself (the URL goes through argv and history): a proof bound to this request.
    const sent = new URL(shown).searchParams;
    expect(sent.get('owner')).not.toBe(secret);
    expect(sent.get('owner')).toBe(ownerProof(secret, sent.get('code_challenge')!));
    // The same proof with another challenge (whose verifier an eavesdropper would know) is refused.
    const replay = new URL(shown);
    replay.searchParams.set('code_challenge', 'A'.repeat(43));
    expect((await fetchPage(replay.toString(), { ca: auto.ca })).status).toBe(403);
    const without = new URL(shown);
    without.searchParams.delete('owner');
    const refused = await fetchPage(without.toString(), { ca: auto.ca });
    expect(refused.status).toBe(403);
    expect(refused.headers.location).toBeUndefined();
  });
});
