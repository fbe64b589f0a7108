// Signs in to a local server the way the app does: authorize with PKCE S256, answer the consent
// page (or take the auto-approve redirect), exchange the code. For tests only.
import { OWNER_PARAM } from '../../core/auth/ownerSecret.js';
import type { Pkce } from '../../core/auth/pkce.js';
import { createPkce, createState } from '../../core/auth/pkce.js';
import { authorizeUrl } from '../../core/auth/signIn.js';
import { OAUTH_CLIENT_ID } from '../../shared/protocol.js';
import type { HttpsResponse } from './httpsRequest.js';
import { httpsRequest } from './httpsRequest.js';

export type { Pkce };
/** The app's own PKCE pair (core/auth/pkce.ts). */
export const makePkce = createPkce;

/** The authorize path; `owner` is the server's owner secret (omitted: a request from anyone). */
export function authorizeQuery(
  redirectUri: string,
  state: string,
  challenge: string,
  owner?: string,
): string {
  // The app's own URL (core/auth/signIn.ts) without an endpoint: the path and query alone.
  return authorizeUrl('', redirectUri, state, challenge, owner);
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
  const state = createState();
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
