// The OAuth + PKCE flow of the real server over HTTPS, up to the code: the consent page (approve,
// deny), the authorize request's validation, and only the owner signing in. Every refused request
// changes nothing. Exchanging codes and what tokens then do: oauthServer.tokens.test.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAUTH_CLIENT_ID } from '../shared/protocol.js';
import { isLoopbackRedirect } from './oauthServer.js';
import { httpsRequest } from './testing/httpsRequest.js';
import { expectError, OAuthHarness, REDIRECT } from './testing/oauthHarness.js';
import { authorizeQuery, consentNonce, makePkce, postConsent } from './testing/oauthLogin.js';
import { startTestServer } from './testing/serverFixture.js';

const h = new OAuthHarness();
const { req, stateFile, goodExchange } = h;

beforeAll(() => h.start());
afterAll(() => h.close());

describe('consent page', () => {
  it('shows Approve and Deny in a script-free, unframeable form; Approve redirects with code and state', async () => {
    const { verifier, challenge } = makePkce();
    const page = await req(authorizeQuery(REDIRECT, 'abc123', challenge, h.srv.ownerSecret));
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.text).not.toMatch(/<script/i);
    expect(page.text).toContain(`<form method="post" action="/oauth/authorize?owner=${h.srv.ownerSecret}">`);
    expect(page.text).toMatch(/value="approve">Approve</);
    expect(page.text).toMatch(/value="deny">Deny</);
    const nonce = consentNonce(page.text);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const r = await postConsent(h.srv.endpoint, h.srv.ca, nonce, 'approve', h.srv.ownerSecret);
    expect(r.status).toBe(302);
    const loc = new URL(String(r.headers.location));
    expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT);
    expect(loc.searchParams.get('state')).toBe('abc123');
    const code = loc.searchParams.get('code')!;
    const t = await goodExchange(code, verifier);
    expect(t.status).toBe(200);
    const token = (t.json as { access_token: string; token_type: string }).access_token;
    expect((t.json as { token_type: string }).token_type).toBe('Bearer');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await req('/api/v1/me', { token });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ id: 'u-local' });
    // Only the token's hash is kept on disk.
    expect(stateFile()).not.toContain(token);

    // The nonce was single-use.
    const again = await postConsent(h.srv.endpoint, h.srv.ca, nonce, 'approve', h.srv.ownerSecret);
    expect(again.status).toBe(400);
    expect(again.headers.location).toBeUndefined();
  });

  it('Deny redirects with error=access_denied and the state, and no code', async () => {
    const page = await req(authorizeQuery(REDIRECT, 'deny-state', makePkce().challenge, h.srv.ownerSecret));
    const before = stateFile();
    const r = await postConsent(h.srv.endpoint, h.srv.ca, consentNonce(page.text), 'deny', h.srv.ownerSecret);
    expect(r.status).toBe(302);
    const loc = new URL(String(r.headers.location));
    expect(loc.searchParams.get('error')).toBe('access_denied');
    expect(loc.searchParams.get('state')).toBe('deny-state');
    expect(loc.searchParams.has('code')).toBe(false);
    expect(stateFile()).toBe(before);
  });

  it('refuses a consent post from another origin, an unknown nonce and a bad decision; the request stays answerable', async () => {
    const { verifier, challenge } = makePkce();
    const page = await req(authorizeQuery(REDIRECT, 's', challenge, h.srv.ownerSecret));
    const nonce = consentNonce(page.text);
    const form = (body: Record<string, string>, headers: Record<string, string> = {}) =>
      req(`/oauth/authorize?owner=${h.srv.ownerSecret}`, {
        method: 'POST',
        raw: new URLSearchParams(body).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
    const forged = await form({ request: nonce, decision: 'approve' }, { origin: 'https://evil.example' });
    expectError(forged, 403, 'forbidden_origin');
    expectError(await form({ request: 'x'.repeat(43), decision: 'approve' }), 400, 'invalid_request');
    expectError(await form({ request: nonce, decision: 'maybe' }), 400, 'invalid_request');
    expectError(
      await req(`/oauth/authorize?owner=${h.srv.ownerSecret}`, { method: 'POST', body: { request: nonce } }),
      415,
    );
    // Without the owner secret in the form's action, even the right nonce is refused.
    expectError(await postConsent(h.srv.endpoint, h.srv.ca, nonce, 'approve'), 403, 'not_owner');
    const ok = await postConsent(h.srv.endpoint, h.srv.ca, nonce, 'approve', h.srv.ownerSecret);
    expect(ok.status).toBe(302);
    const code = new URL(String(ok.headers.location)).searchParams.get('code')!;
    expect((await goodExchange(code, verifier)).status).toBe(200);
  });

  it('an expired consent request cannot be answered', async () => {
    const page = await req(authorizeQuery(REDIRECT, 's', makePkce().challenge, h.srv.ownerSecret));
    h.skew += 11 * 60_000;
    try {
      const r = await postConsent(
        h.srv.endpoint,
        h.srv.ca,
        consentNonce(page.text),
        'approve',
        h.srv.ownerSecret,
      );
      expectError(r, 400, 'invalid_request');
    } finally {
      h.skew -= 11 * 60_000;
    }
  });
});

describe('authorize request validation', () => {
  const c = makePkce().challenge;
  const base = {
    response_type: 'code',
    client_id: OAUTH_CLIENT_ID,
    redirect_uri: REDIRECT,
    state: 's',
    code_challenge: c,
    code_challenge_method: 'S256',
  };
  const cases: [string, Record<string, string | undefined>, string][] = [
    ['non-loopback host', { redirect_uri: 'http://evil.example/callback' }, 'invalid_redirect_uri'],
    ['https scheme', { redirect_uri: 'https://127.0.0.1:4000/callback' }, 'invalid_redirect_uri'],
    ['localhost name', { redirect_uri: 'http://localhost:4000/callback' }, 'invalid_redirect_uri'],
    ['127.0.0.2', { redirect_uri: 'http://127.0.0.2:4000/callback' }, 'invalid_redirect_uri'],
    ['credentials', { redirect_uri: 'http://u:p@127.0.0.1:4000/callback' }, 'invalid_redirect_uri'],
    ['fragment', { redirect_uri: 'http://127.0.0.1:4000/callback#x' }, 'invalid_redirect_uri'],
    ['not a URL', { redirect_uri: 'callback' }, 'invalid_redirect_uri'],
    ['missing redirect', { redirect_uri: undefined }, 'invalid_redirect_uri'],
    ['wrong client', { client_id: 'someone-else' }, 'invalid_client'],
    ['token response type', { response_type: 'token' }, 'unsupported_response_type'],
    ['missing state', { state: undefined }, 'invalid_request'],
    ['plain PKCE', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['no PKCE', { code_challenge: undefined, code_challenge_method: undefined }, 'invalid_request'],
    ['short challenge', { code_challenge: 'abc' }, 'invalid_request'],
  ];
  it.each(cases)('%s: 4xx, never a redirect', async (_name, change, code) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...base, ...change, owner: h.srv.ownerSecret }))
      if (v !== undefined) q.set(k, v);
    const r = await req(`/oauth/authorize?${q}`);
    expect(r.headers.location).toBeUndefined();
    expectError(r, 400, code);
  });

  it('a duplicated parameter is refused', async () => {
    const q = new URLSearchParams({ ...base, owner: h.srv.ownerSecret });
    q.append('redirect_uri', 'http://evil.example/');
    expectError(await req(`/oauth/authorize?${q}`), 400, 'invalid_request');
  });

  it('a browser gets the error as a page', async () => {
    const q = new URLSearchParams({
      ...base,
      redirect_uri: 'http://evil.example/',
      owner: h.srv.ownerSecret,
    });
    const r = await req(`/oauth/authorize?${q}`, { headers: { accept: 'text/html' } });
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.headers.location).toBeUndefined();
  });

  it('accepts [::1] and any port or path (RFC 8252)', () => {
    expect(isLoopbackRedirect('http://[::1]:5000/cb')).toBe(true);
    expect(isLoopbackRedirect('http://127.0.0.1/')).toBe(true);
    expect(isLoopbackRedirect('http://127.0.0.1:65535/a/b?c=d')).toBe(true);
    expect(isLoopbackRedirect('http://[::2]:5000/cb')).toBe(false);
  });
});

describe('only the owner signs in', () => {
  it('without the owner secret, or with a wrong or repeated one: 403 not_owner, no consent page, no code', async () => {
    const { challenge } = makePkce();
    const wrong = `${h.srv.ownerSecret.slice(0, -1)}${h.srv.ownerSecret.endsWith('A') ? 'B' : 'A'}`;
    for (const owner of [undefined, '', wrong, 'x'.repeat(43)]) {
      const r = await req(authorizeQuery(REDIRECT, 's', challenge, owner));
      expect(r.headers.location).toBeUndefined();
      expect(r.text).not.toContain('name="request"');
      expectError(r, 403, 'not_owner');
    }
    const twice = `${authorizeQuery(REDIRECT, 's', challenge, h.srv.ownerSecret)}&owner=${h.srv.ownerSecret}`;
    expectError(await req(twice), 403, 'not_owner');
  });

  it('auto-approve approves only a request that carries the secret; the secret file is 0600 in 0700 directories', async () => {
    const auto = await startTestServer({ autoApprove: true });
    try {
      const { challenge } = makePkce();
      const r = await httpsRequest(auto.endpoint, auto.ca, authorizeQuery(REDIRECT, 's', challenge));
      expectError(r, 403, 'not_owner');
      const file = path.join(path.dirname(auto.caFile), 'owner-secret');
      expect(fs.readFileSync(file, 'utf8').trim()).toBe(auto.ownerSecret);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      expect(fs.statSync(auto.dataDir).mode & 0o777).toBe(0o700);
    } finally {
      await auto.close();
    }
  });

  it('the same secret after a restart; a secret file others could read is replaced', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-owner-'));
    const auto = await startTestServer({ dataDir });
    const first = auto.ownerSecret;
    await auto.close();
    const again = await startTestServer({ dataDir });
    const file = path.join(dataDir, 'tls', 'owner-secret');
    try {
      expect(again.ownerSecret).toBe(first);
    } finally {
      await again.close();
    }
    fs.chmodSync(file, 0o644);
    const third = await startTestServer({ dataDir });
    try {
      expect(third.ownerSecret).not.toBe(first);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      await third.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
