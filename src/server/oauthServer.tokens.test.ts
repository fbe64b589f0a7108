// The OAuth + PKCE flow of the real server over HTTPS, from the code on: token exchange edge cases
// (auto-approve included), revocation and expiry. Every refused request changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAUTH_CLIENT_ID } from '../shared/protocol.js';
import { httpsRequest } from './testing/httpsRequest.js';
import { expectError, OAuthHarness, REDIRECT } from './testing/oauthHarness.js';
import { authorizeQuery, makePkce } from './testing/oauthLogin.js';
import { connectSse } from './testing/sseClient.js';
import { startTestServer } from './testing/serverFixture.js';

const h = new OAuthHarness();
const { req, stateFile, tokenCount, approvedCode, exchange, goodExchange } = h;

beforeAll(() => h.start());
afterAll(() => h.close());

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
    h.skew += 61_000;
    try {
      const before = stateFile();
      expectError(await goodExchange(code, verifier), 400, 'invalid_grant');
      expect(stateFile()).toBe(before);
    } finally {
      h.skew -= 61_000;
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
    const token = await h.srv.token();
    const sse = await connectSse(h.srv.endpoint, h.srv.ca, token);
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
    const token = await h.srv.token();
    expect((await req('/api/v1/me', { token })).status).toBe(200);
    h.skew += 3601_000;
    try {
      const r = await req('/api/v1/me', { token });
      expectError(r, 401, 'token_expired');
      expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
    } finally {
      h.skew -= 3601_000;
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
