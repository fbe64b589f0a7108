// Signs in to a local server the way the app does: authorize with PKCE S256, answer the consent
// page (or take the auto-approve redirect), exchange the code. For tests only.
import crypto from 'node:crypto';
import { OWNER_PARAM } from '../../core/auth/ownerSecret.js';
import { OAUTH_CLIENT_ID } from '../../shared/protocol.js';
import type { HttpsResponse } from './httpsRequest.js';
import { httpsRequest } from './httpsRequest.js';

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function makePkce(): Pkce {
  const verifier = crypto.randomBytes(32).toString('base64url');
  return { verifier, challenge: crypto.createHash('sha256').update(verifier).digest('base64url') };
}

/** The authorize path; `owner` is the server's owner secret (omitted: a request from anyone). */
export function authorizeQuery(
  redirectUri: string,
  state: string,
  challenge: string,
  owner?: string,
): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: OAUTH_CLIENT_ID,
    redirect_uri: redirectUri,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  if (owner !== undefined) q.set(OWNER_PARAM, owner);
  return `/oauth/authorize?${q}`;
}

/** The consent form's request nonce, from the page's HTML. */
export function consentNonce(html: string): string {
  const m = /name="request" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no consent form on the page');
  return m[1]!;
}

/** Posts the consent form's decision (to the form's action, which carries the owner secret). */
export function postConsent(
  endpoint: string,
  ca: string,
  nonce: string,
  decision: 'approve' | 'deny',
  owner?: string,
): Promise<HttpsResponse> {
  const action = owner === undefined ? '' : `?${new URLSearchParams({ [OWNER_PARAM]: owner })}`;
  return httpsRequest(endpoint, ca, `/oauth/authorize${action}`, {
    method: 'POST',
    raw: new URLSearchParams({ request: nonce, decision }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/** Runs the whole flow (approving the consent page if one is shown); returns the access token. */
export async function oauthLogin(endpoint: string, ca: string, owner?: string): Promise<string> {
  const { verifier, challenge } = makePkce();
  const redirectUri = 'http://127.0.0.1:9/callback';
  const state = crypto.randomBytes(16).toString('base64url');
  let r = await httpsRequest(endpoint, ca, authorizeQuery(redirectUri, state, challenge, owner));
  if (r.status === 200) r = await postConsent(endpoint, ca, consentNonce(r.text), 'approve', owner);
  if (r.status !== 302) throw new Error(`authorize answered ${r.status}: ${r.text.slice(0, 200)}`);
  const code = new URL(String(r.headers.location)).searchParams.get('code');
  if (!code) throw new Error(`no code in ${String(r.headers.location)}`);
  const t = await httpsRequest(endpoint, ca, '/oauth/token', {
    body: {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: OAUTH_CLIENT_ID,
      code_verifier: verifier,
    },
  });
  const token = (t.json as { access_token?: unknown } | undefined)?.access_token;
  if (t.status !== 200 || typeof token !== 'string')
    throw new Error(`token exchange answered ${t.status}: ${t.text.slice(0, 200)}`);
  return token;
}
