// OAuth 2.0 for a native app (RFC 8252) with PKCE S256 (RFC 7636): authorize with a consent
// page, code-for-token exchange, revocation (RFC 7009). Codes live in memory for 60 s.
import crypto from 'node:crypto';
import type http from 'node:http';
import { OWNER_PARAM, isOwner } from '../core/auth/ownerSecret.js';
import { OAUTH_CLIENT_ID } from '../shared/protocol.js';
import { consentPage, errorPage } from './consentPage.js';
import type { ServerStore } from './serverStore.js';
import {
  HttpError,
  readBody,
  readJsonObject,
  redirect,
  sendEmpty,
  sendError,
  sendHtml,
  sendJson,
  stringField,
} from './httpUtil.js';

export interface OAuthOptions {
  store: ServerStore;
  autoApprove: boolean;
  tokenTtlSeconds: number;
  now: () => number;
  log: (line: string) => void;
  /** A token was revoked: its open event streams should end. */
  onRevoked: (tokenHash: string) => void;
  /**
   * Only whoever can read this (the server's owner) may sign in: it must come with every
   * authorization request and consent answer, whatever autoApprove says.
   */
  ownerSecret: string;
}

interface AuthRequest {
  redirectUri: string;
  state: string;
  challenge: string;
}

interface CodeRecord extends AuthRequest {
  expiresAt: number;
  used: boolean;
}

const CODE_TTL_MS = 60_000;
const CONSENT_TTL_MS = 10 * 60_000;
/** Bounds memory if something floods /oauth/authorize. */
const MAX_PENDING = 1000;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest();
const random = () => crypto.randomBytes(32).toString('base64url');

/** http on 127.0.0.1 or [::1], any port, no credentials or fragment (RFC 8252 section 7.3). */
export function isLoopbackRedirect(uri: string): boolean {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return false;
  }
  return (
    u.protocol === 'http:' &&
    (u.hostname === '127.0.0.1' || u.hostname === '[::1]') &&
    !u.username &&
    !u.password &&
    !uri.includes('#')
  );
}

export class OAuthServer {
  private readonly pending = new Map<string, AuthRequest & { expiresAt: number }>();
  private readonly codes = new Map<string, CodeRecord>();

  constructor(private readonly opts: OAuthOptions) {}

  /** GET /oauth/authorize: validate, then the consent page (or, with autoApprove, the code). */
  authorize(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    let ar: AuthRequest;
    try {
      this.checkOwner(url.searchParams, url.searchParams.get('code_challenge') ?? '');
      ar = this.validate(url.searchParams);
    } catch (e) {
      this.browserError(req, res, e as HttpError);
      return;
    }
    if (this.opts.autoApprove) {
      redirect(res, this.answer(ar, true));
      return;
    }
    this.prune();
    const nonce = random();
    this.pending.set(nonce, { ...ar, expiresAt: this.opts.now() + CONSENT_TTL_MS });
    const user = this.opts.store.user;
    sendHtml(
      res,
      200,
      consentPage({
        nonce,
        userName: user.name,
        userEmail: user.email,
        redirectOrigin: new URL(ar.redirectUri).host,
        // The form carries on what the browser presented (for our clients, the per-request proof).
        formAction: `/oauth/authorize?${new URLSearchParams({ [OWNER_PARAM]: url.searchParams.get(OWNER_PARAM)! })}`,
      }),
    );
  }

  /** POST /oauth/authorize: the consent form's Approve or Deny. */
  async decide(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const query = new URL(req.url ?? '/', 'https://localhost').searchParams;
      if (query.getAll(OWNER_PARAM).length !== 1) this.checkOwner(query, '');
      const origin = req.headers.origin;
      // Browsers send Origin on form posts; one from another site is a forged consent.
      if (origin !== undefined && origin !== 'null' && origin !== `https://${req.headers.host ?? ''}`) {
        throw new HttpError(403, 'forbidden_origin', 'this form may only be submitted from the consent page');
      }
      if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
        throw new HttpError(
          415,
          'unsupported_media_type',
          'the consent form is posted as application/x-www-form-urlencoded',
        );
      }
      const form = new URLSearchParams((await readBody(req)).toString('utf8'));
      const nonce = form.get('request') ?? '';
      const decision = form.get('decision');
      const ar = this.pending.get(nonce);
      if (!ar || ar.expiresAt <= this.opts.now()) {
        throw new HttpError(
          400,
          'invalid_request',
          'this sign-in request has expired or was already answered; start signing in again from the app',
        );
      }
      this.checkOwner(query, ar.challenge);
      if (decision !== 'approve' && decision !== 'deny')
        throw new HttpError(400, 'invalid_request', "'decision' must be approve or deny");
      this.pending.delete(nonce);
      this.opts.log(`oauth: consent ${decision === 'approve' ? 'approved' : 'denied'}`);
      redirect(res, this.answer(ar, decision === 'approve'));
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      this.browserError(req, res, e);
    }
  }

  /** POST /oauth/token: authorization_code + PKCE S256. */
  async token(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readJsonObject(req);
    if (body.grant_type !== 'authorization_code') {
      throw new HttpError(400, 'unsupported_grant_type', "'grant_type' must be authorization_code");
    }
    const code = stringField(body, 'code', 256);
    const redirectUri = stringField(body, 'redirect_uri', 2048);
    const clientId = stringField(body, 'client_id', 256);
    const verifier = stringField(body, 'code_verifier', 256);
    if (clientId !== OAUTH_CLIENT_ID)
      throw new HttpError(400, 'invalid_client', `unknown client_id '${clientId}'`);
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) {
      throw new HttpError(
        400,
        'invalid_request',
        "'code_verifier' must be 43-128 characters of A-Z a-z 0-9 - . _ ~",
      );
    }
    const key = sha256(code).toString('hex');
    const rec = this.codes.get(key);
    if (!rec || rec.expiresAt <= this.opts.now())
      throw new HttpError(
        400,
        'invalid_grant',
        'the authorization code is unknown or has expired; sign in again',
      );
    if (rec.used)
      throw new HttpError(400, 'invalid_grant', 'the authorization code was already used; sign in again');
    if (rec.redirectUri !== redirectUri)
      throw new HttpError(400, 'invalid_grant', "'redirect_uri' does not match the authorization request");
    const got = sha256(verifier);
    const want = Buffer.from(rec.challenge, 'base64url');
    if (want.length !== got.length || !crypto.timingSafeEqual(got, want)) {
      throw new HttpError(400, 'invalid_grant', "'code_verifier' does not match the code challenge (PKCE)");
    }
    rec.used = true;
    const accessToken = this.opts.store.issueToken(this.opts.tokenTtlSeconds);
    this.opts.log('oauth: token issued');
    sendJson(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.opts.tokenTtlSeconds,
    });
  }

  /** POST /oauth/revoke: 204 whether or not the token was known (RFC 7009 section 2.2). */
  async revoke(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readJsonObject(req);
    const hash = this.opts.store.revokeToken(stringField(body, 'token', 256));
    if (hash) {
      this.opts.log('oauth: token revoked');
      this.opts.onRevoked(hash);
    }
    sendEmpty(res, 204);
  }

  /** Refuses anyone who does not present the owner secret (compared in constant time). */
  private checkOwner(q: URLSearchParams, challenge: string): void {
    const got = q.getAll(OWNER_PARAM);
    if (got.length !== 1 || !isOwner(this.opts.ownerSecret, got[0], challenge)) {
      this.opts.log('oauth: refused a sign-in without the owner secret');
      throw new HttpError(
        403,
        'not_owner',
        'only the user who started this local server may sign in: use the sign-in link from `runcode login` or the app',
      );
    }
  }

  private validate(q: URLSearchParams): AuthRequest {
    for (const k of [
      'client_id',
      'redirect_uri',
      'response_type',
      'state',
      'code_challenge',
      'code_challenge_method',
    ]) {
      if (q.getAll(k).length > 1)
        throw new HttpError(400, 'invalid_request', `'${k}' appears more than once`);
    }
    const bad = (code: string, msg: string) => new HttpError(400, code, msg);
    if (q.get('client_id') !== OAUTH_CLIENT_ID)
      throw bad('invalid_client', `'client_id' must be ${OAUTH_CLIENT_ID}`);
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!isLoopbackRedirect(redirectUri)) {
      throw bad(
        'invalid_redirect_uri',
        "'redirect_uri' must be http://127.0.0.1:PORT/... or http://[::1]:PORT/...",
      );
    }
    if (q.get('response_type') !== 'code')
      throw bad('unsupported_response_type', "'response_type' must be code");
    const state = q.get('state') ?? '';
    if (!/^[\x21-\x7e]{1,512}$/.test(state))
      throw bad('invalid_request', "'state' must be 1-512 printable characters");
    if (q.get('code_challenge_method') !== 'S256')
      throw bad('invalid_request', "PKCE is required: 'code_challenge_method' must be S256");
    const challenge = q.get('code_challenge') ?? '';
    if (!/^[A-Za-z0-9_-]{43}$/.test(challenge))
      throw bad('invalid_request', "'code_challenge' must be a base64url SHA-256 (43 characters)");
    return { redirectUri, state, challenge };
  }

  /** The redirect that answers an authorization request: a fresh code, or access_denied. */
  private answer(ar: AuthRequest, approved: boolean): string {
    const u = new URL(ar.redirectUri);
    if (approved) {
      this.prune();
      const code = random();
      this.codes.set(sha256(code).toString('hex'), {
        ...ar,
        expiresAt: this.opts.now() + CODE_TTL_MS,
        used: false,
      });
      u.searchParams.set('code', code);
    } else {
      u.searchParams.set('error', 'access_denied');
    }
    u.searchParams.set('state', ar.state);
    return u.toString();
  }

  private prune(): void {
    const t = this.opts.now();
    for (const [k, v] of this.pending) if (v.expiresAt <= t) this.pending.delete(k);
    for (const [k, v] of this.codes) if (v.expiresAt <= t) this.codes.delete(k);
    for (const map of [this.pending, this.codes] as Map<string, unknown>[]) {
      for (const k of map.keys()) {
        if (map.size < MAX_PENDING) break;
        map.delete(k);
      }
    }
  }

  /** A person may be looking: HTML for browsers, protocol v1 JSON for programs. Never a redirect. */
  private browserError(req: http.IncomingMessage, res: http.ServerResponse, e: HttpError): void {
    if (/text\/html/.test(req.headers.accept ?? '')) sendHtml(res, e.status, errorPage(e.message), e.headers);
    else sendError(res, e);
  }
}
