// What the OAuth tests share: one real server (consent, not auto-approve; 1-hour tokens) whose
// clock a test may move with `skew`, requests to it, its state file, the consent -> code -> token
// steps, and the error shape every refusal must have.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { OAUTH_CLIENT_ID } from '../../shared/protocol.js';
import { httpsRequest } from './httpsRequest.js';
import { authorizeQuery, consentNonce, postConsent } from './oauthLogin.js';
import type { TestServer } from './serverFixture.js';
import { startTestServer } from './serverFixture.js';

export const REDIRECT = 'http://127.0.0.1:45678/callback';

export class OAuthHarness {
  /** Added to the server's clock (ms). */
  skew = 0;
  srv!: TestServer;

  async start(): Promise<void> {
    this.srv = await startTestServer({
      autoApprove: false,
      now: () => Date.now() + this.skew,
      tokenTtlSeconds: 3600,
    });
  }

  async close(): Promise<void> {
    await this.srv?.close();
  }

  req = (p: string, o?: Parameters<typeof httpsRequest>[3]) =>
    httpsRequest(this.srv.endpoint, this.srv.ca, p, o);

  stateFile = (): string => fs.readFileSync(path.join(this.srv.dataDir, 'state.json'), 'utf8');

  tokenCount = (): number => (JSON.parse(this.stateFile()) as { tokens: unknown[] }).tokens.length;

  /** Consent page -> approve -> the code. */
  approvedCode = async (challenge: string, state = 'st-1'): Promise<string> => {
    const page = await this.req(authorizeQuery(REDIRECT, state, challenge, this.srv.ownerSecret));
    const r = await postConsent(
      this.srv.endpoint,
      this.srv.ca,
      consentNonce(page.text),
      'approve',
      this.srv.ownerSecret,
    );
    expect(r.status).toBe(302);
    return new URL(String(r.headers.location)).searchParams.get('code')!;
  };

  exchange = (body: Record<string, unknown>) => this.req('/oauth/token', { body });

  goodExchange = (code: string, verifier: string) =>
    this.exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: OAUTH_CLIENT_ID,
      code_verifier: verifier,
    });
}

export function expectError(
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
