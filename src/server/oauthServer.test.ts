// The OAuth + PKCE flow of the real server over HTTPS: consent page (approve, deny), auto-approve,
// token exchange edge cases, revocation and expiry. Every refused request changes nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAUTH_CLIENT_ID } from '../shared/protocol.js';
import { isLoopbackRedirect } from './oauthServer.js';
import { httpsRequest } from './testing/httpsRequest.js';
import { authorizeQuery, consentNonce, makePkce, postConsent } from './testing/oauthLogin.js';
import { connectSse } from './testing/sseClient.js';
import type { TestServer } from './testing/serverFixture.js';
import { startTestServer } from './testing/serverFixture.js';

const REDIRECT = 'http://127.0.0.1:45678/callback';
let skew = 0;
let srv: TestServer;
const req = (p: string, o?: Parameters<typeof httpsRequest>[3]) => httpsRequest(srv.endpoint, srv.ca, p, o);
const stateFile = () => fs.readFileSync(path.join(srv.dataDir, 'state.json'), 'utf8');
const tokenCount = () => (JSON.parse(stateFile()) as { tokens: unknown[] }).tokens.length;

function expectError(
  r: { status: number; json: unknown; headers: Record<string, unknown> },
  status: number,
  code?: string,
) {
  expect(r.status).toBe(status);
  expect(String(r.headers['content-type'])).toMatch(/^application\/json/);
  const e = (r.json as { error: { code: string; message: string } }).error;
  expect(typeof e.message).toBe('string');
  if (code) expect(e.code).toBe(code);
}

/** Consent page -> approve -> the code. */
async function approvedCode(challenge: string, state = 'st-1'): Promise<string> {
  const page = await req(authorizeQuery(REDIRECT, state, challenge, srv.ownerSecret));
  const r = await postConsent(srv.endpoint, srv.ca, consentNonce(page.text), 'approve', srv.ownerSecret);
  expect(r.status).toBe(302);
  return new URL(String(r.headers.location)).searchParams.get('code')!;
}

const exchange = (body: Record<string, unknown>) => req('/oauth/token', { body });
const goodExchange = (code: string, verifier: string) =>
  exchange({
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    client_id: OAUTH_CLIENT_ID,
    code_verifier: verifier,
  });

beforeAll(async () => {
  srv = await startTestServer({ autoApprove: false, now: () => Date.now() + skew, tokenTtlSeconds: 3600 });
});
afterAll(() => srv?.close());

describe('consent page', () => {
  it('shows Approve and Deny in a script-free, unframeable form; Approve redirects with code and state', async () => {
    const { verifier, challenge } = makePkce();
    const page = await req(authorizeQuery(REDIRECT, 'abc123', challenge, srv.ownerSecret));
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.text).not.toMatch(/<script/i);
    expect(page.text).toContain(`<form method="post" action="/oauth/authorize?owner=${srv.ownerSecret}">`);
    expect(page.text).toMatch(/value="approve">Approve</);
    expect(page.text).toMatch(/value="deny">Deny</);
    const nonce = consentNonce(page.text);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const r = await postConsent(srv.endpoint, srv.ca, nonce, 'approve', srv.ownerSecret);
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
    const again = await postConsent(srv.endpoint, srv.ca, nonce, 'approve', srv.ownerSecret);
    expect(again.status).toBe(400);
    expect(again.headers.location).toBeUndefined();
  });

  it('Deny redirects with error=access_denied and the state, and no code', async () => {
    const page = await req(authorizeQuery(REDIRECT, 'deny-state', makePkce().challenge, srv.ownerSecret));
    const before = stateFile();
    const r = await postConsent(srv.endpoint, srv.ca, consentNonce(page.text), 'deny', srv.ownerSecret);
    expect(r.status).toBe(302);
    const loc = new URL(String(r.headers.location));
    expect(loc.searchParams.get('error')).toBe('access_denied');
    expect(loc.searchParams.get('state')).toBe('deny-state');
    expect(loc.searchParams.has('code')).toBe(false);
    expect(stateFile()).toBe(before);
  });

  it('refuses a consent post from another origin, an unknown nonce and a bad decision; the request stays answerable', async () => {
    const { verifier, challenge } = makePkce();
    const page = await req(authorizeQuery(REDIRECT, 's', challenge, srv.ownerSecret));
    const nonce = consentNonce(page.text);
    const form = (body: Record<string, string>, headers: Record<string, string> = {}) =>
      req(`/oauth/authorize?owner=${srv.ownerSecret}`, {
        method: 'POST',
        raw: new URLSearchParams(body).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
    const forged = await form({ request: nonce, decision: 'approve' }, { origin: 'https://evil.example' });
    expectError(forged, 403, 'forbidden_origin');
    expectError(await form({ request: 'x'.repeat(43), decision: 'approve' }), 400, 'invalid_request');
    expectError(await form({ request: nonce, decision: 'maybe' }), 400, 'invalid_request');
    expectError(
      await req(`/oauth/authorize?owner=${srv.ownerSecret}`, { method: 'POST', body: { request: nonce } }),
      415,
    );
    // Without the owner secret in the form's action, even the right nonce is refused.
    expectError(await postConsent(srv.endpoint, srv.ca, nonce, 'approve'), 403, 'not_owner');
    const ok = await postConsent(srv.endpoint, srv.ca, nonce, 'approve', srv.ownerSecret);
    expect(ok.status).toBe(302);
    const code = new URL(String(ok.headers.location)).searchParams.get('code')!;
    expect((await goodExchange(code, verifier)).status).toBe(200);
  });

  it('an expired consent request cannot be answered', async () => {
    const page = await req(authorizeQuery(REDIRECT, 's', makePkce().challenge, srv.ownerSecret));
    skew += 11 * 60_000;
    try {
      const r = await postConsent(srv.endpoint, srv.ca, consentNonce(page.text), 'approve', srv.ownerSecret);
      expectError(r, 400, 'invalid_request');
    } finally {
      skew -= 11 * 60_000;
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
    for (const [k, v] of Object.entries({ ...base, ...change, owner: srv.ownerSecret }))
      if (v !== undefined) q.set(k, v);
    const r = await req(`/oauth/authorize?${q}`);
    expect(r.headers.location).toBeUndefined();
    expectError(r, 400, code);
  });

  it('a duplicated parameter is refused', async () => {
    const q = new URLSearchParams({ ...base, owner: srv.ownerSecret });
    q.append('redirect_uri', 'http://evil.example/');
    expectError(await req(`/oauth/authorize?${q}`), 400, 'invalid_request');
  });

  it('a browser gets the error as a page', async () => {
    const q = new URLSearchParams({ ...base, redirect_uri: 'http://evil.example/', owner: srv.ownerSecret });
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
    const wrong = `${srv.ownerSecret.slice(0, -1)}${srv.ownerSecret.endsWith('A') ? 'B' : 'A'}`;
    for (const owner of [undefined, '', wrong, 'x'.repeat(43)]) {
      const r = await req(authorizeQuery(REDIRECT, 's', challenge, owner));
      expect(r.headers.location).toBeUndefined();
      expect(r.text).not.toContain('name="request"');
      expectError(r, 403, 'not_owner');
    }
    const twice = `${authorizeQuery(REDIRECT, 's', challenge, srv.ownerSecret)}&owner=${srv.ownerSecret}`;
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

describe('token exchange', () => {
  it('wrong verifier: 400 invalid_grant, no token, and the code still works with the right one', async () => {
    const { verifier, challenge } = makePkce();
    const code = await approvedCode(challenge);
    const before = stateFile();
    expectError(await goodExchange(code, makePkce().verifier), 400, 'invalid_grant');
    expect(stateFile()).toBe(before);
    expect((await goodExchange(code, verifier)).status).toBe(200);
  });

  it('a code is single-use', async () => {
    const { verifier, challenge } = makePkce();
    const code = await approvedCode(challenge);
    expect((await goodExchange(code, verifier)).status).toBe(200);
    const before = stateFile();
    expectError(await goodExchange(code, verifier), 400, 'invalid_grant');
    expect(stateFile()).toBe(before);
  });

  it('a code expires after 60 s', async () => {
    const { verifier, challenge } = makePkce();
    const code = await approvedCode(challenge);
    skew += 61_000;
    try {
      const before = stateFile();
      expectError(await goodExchange(code, verifier), 400, 'invalid_grant');
      expect(stateFile()).toBe(before);
    } finally {
      skew -= 61_000;
    }
  });

  it('redirect_uri, client_id, grant_type and field types must match; malformed bodies are refused', async () => {
    const { verifier, challenge } = makePkce();
    const code = await approvedCode(challenge);
    const good = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: OAUTH_CLIENT_ID,
      code_verifier: verifier,
    };
    const before = stateFile();
    expectError(
      await exchange({ ...good, redirect_uri: 'http://127.0.0.1:45679/callback' }),
      400,
      'invalid_grant',
    );
    expectError(await exchange({ ...good, client_id: 'other' }), 400, 'invalid_client');
    expectError(await exchange({ ...good, grant_type: 'password' }), 400, 'unsupported_grant_type');
    expectError(await exchange({ ...good, code: 42 }), 400, 'invalid_request');
    expectError(await exchange({ ...good, code_verifier: undefined }), 400, 'invalid_request');
    expectError(await exchange({ ...good, code_verifier: 'short' }), 400, 'invalid_request');
    expectError(await req('/oauth/token', { raw: '{"grant_type":' }), 400, 'invalid_json');
    expectError(await req('/oauth/token', { raw: '[1,2]' }), 400, 'invalid_request');
    expectError(
      await req('/oauth/token', { raw: JSON.stringify(good), headers: { 'content-type': 'text/plain' } }),
      415,
    );
    expectError(
      await req('/oauth/token', { raw: JSON.stringify({ ...good, pad: 'x'.repeat(70_000) }) }),
      413,
      'body_too_large',
    );
    expectError(await req('/oauth/token'), 405, 'method_not_allowed');
    expect(stateFile()).toBe(before);
    // None of it spent the code.
    expect((await exchange(good)).status).toBe(200);
  });

  it('auto-approve: the authorize GET itself redirects with a code, and PKCE still applies', async () => {
    const auto = await startTestServer({ autoApprove: true });
    try {
      const { verifier, challenge } = makePkce();
      const a = await httpsRequest(
        auto.endpoint,
        auto.ca,
        authorizeQuery(REDIRECT, 'st', challenge, auto.ownerSecret),
      );
      expect(a.status).toBe(302);
      const loc = new URL(String(a.headers.location));
      expect(loc.searchParams.get('state')).toBe('st');
      const code = loc.searchParams.get('code')!;
      const body = {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: OAUTH_CLIENT_ID,
      };
      const bad = await httpsRequest(auto.endpoint, auto.ca, '/oauth/token', {
        body: { ...body, code_verifier: makePkce().verifier },
      });
      expect(bad.status).toBe(400);
      const ok = await httpsRequest(auto.endpoint, auto.ca, '/oauth/token', {
        body: { ...body, code_verifier: verifier },
      });
      expect(ok.status).toBe(200);
    } finally {
      await auto.close();
    }
  });
});

describe('tokens', () => {
  it('revoke: 204, the token stops working, and its event streams end', async () => {
    const token = await srv.token();
    const sse = await connectSse(srv.endpoint, srv.ca, token);
    expect(sse.status).toBe(200);
    const n = tokenCount();
    const r = await req('/oauth/revoke', { body: { token } });
    expect(r.status).toBe(204);
    expect(tokenCount()).toBe(n - 1);
    await sse.ended;
    expectError(await req('/api/v1/me', { token }), 401, 'invalid_token');
    // Unknown tokens revoke quietly (RFC 7009) and change nothing.
    const before = stateFile();
    expect((await req('/oauth/revoke', { body: { token: 'not-a-token' } })).status).toBe(204);
    expectError(await req('/oauth/revoke', { body: { token: 7 } }), 400, 'invalid_request');
    expect(stateFile()).toBe(before);
  });

  it('an expired token gets 401 token_expired', async () => {
    const token = await srv.token();
    expect((await req('/api/v1/me', { token })).status).toBe(200);
    skew += 3601_000;
    try {
      const r = await req('/api/v1/me', { token });
      expectError(r, 401, 'token_expired');
      expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
    } finally {
      skew -= 3601_000;
    }
  });

  it('no token, a malformed header or an unknown token: 401', async () => {
    expectError(await req('/api/v1/workspaces'), 401, 'unauthorized');
    expectError(
      await req('/api/v1/workspaces', { headers: { authorization: 'Basic abc' } }),
      401,
      'unauthorized',
    );
    expectError(await req('/api/v1/workspaces', { token: 'nope' }), 401, 'invalid_token');
  });
});
