// Sign-in as a native app (RFC 8252): the system browser does the OAuth authorization-code
// flow with PKCE S256, and the redirect comes back to a one-shot listener on 127.0.0.1 on an
// ephemeral port. The listener is the one plain-HTTP exception in DESIGN.md: it is our own
// socket on loopback, and the code it receives is useless without the PKCE verifier.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAUTH_CLIENT_ID } from '../../shared/protocol.js';
import type { ApiClient } from '../api/apiClient.js';
import { RuncodeError } from '../errors.js';
import type { LoopbackPage } from './loopbackPages.js';
import { sendLoopbackPage } from './loopbackPages.js';
import { OWNER_PARAM, ownerProof, readOwnerSecret } from './ownerSecret.js';
import { createPkce, createState, sameState } from './pkce.js';
import { tlsPreflight } from './tlsPreflight.js';

export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export interface SignInOptions {
  /** The control plane: its endpoint hosts /oauth/authorize, and it exchanges the code. */
  api: Pick<ApiClient, 'endpoint' | 'exchangeCode'>;
  /**
   * The extra CA the endpoint's certificate is checked against before the browser opens; for a
   * local server (loopback), its owner secret is read from beside it (core/auth/ownerSecret.ts).
   */
  caFile?: string;
  /** Opens the authorize URL (the system browser, or printing it for --no-browser). */
  openUrl: (url: string) => void | Promise<void>;
  /** Told the URL first, so a UI can show it to copy in case the browser does not open. */
  onUrl?: (url: string) => void;
  /** Default 5 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Callback {
  code: string;
  respond: (page: LoopbackPage) => void;
}

/** Runs the whole flow; resolves with the access token. The listener is always closed. */
export async function signIn(opts: SignInOptions): Promise<{ accessToken: string }> {
  if (opts.signal?.aborted) throw cancelled();
  await tlsPreflight(opts.api.endpoint, opts.caFile);
  const owner = readOwnerSecret(opts.api.endpoint, opts.caFile);
  const pkce = createPkce();
  const state = createState();
  const listener = await listenOnce(state);
  try {
    const redirectUri = `http://127.0.0.1:${listener.port}/callback`;
    const proof = owner === undefined ? undefined : ownerProof(owner, pkce.challenge);
    const url = authorizeUrl(opts.api.endpoint, redirectUri, state, pkce.challenge, proof);
    const callback = waitFor(listener.result, opts.timeoutMs ?? SIGN_IN_TIMEOUT_MS, opts.signal);
    opts.onUrl?.(url);
    try {
      await opts.openUrl(url);
    } catch (e) {
      // With the URL already shown to the user they can still open it by hand.
      if (!opts.onUrl) {
        throw new RuncodeError(
          'browser_failed',
          `could not open a browser (${(e as Error).message}); use --no-browser`,
          {
            cause: e,
          },
        );
      }
    }
    const cb = await callback;
    try {
      const token = await opts.api.exchangeCode({ code: cb.code, redirectUri, codeVerifier: pkce.verifier });
      cb.respond('signed_in');
      return token;
    } catch (e) {
      cb.respond('failed');
      throw e;
    }
  } finally {
    listener.close();
  }
}

export function authorizeUrl(
  endpoint: string,
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
  return `${endpoint}/oauth/authorize?${q}`;
}

const cancelled = () => new RuncodeError('cancelled', 'sign-in was cancelled');

function waitFor(result: Promise<Callback>, timeoutMs: number, signal?: AbortSignal): Promise<Callback> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      done();
      const minutes =
        timeoutMs >= 60_000 ? `${Math.round(timeoutMs / 60_000)} minutes` : `${timeoutMs / 1000} s`;
      reject(new RuncodeError('sign_in_timeout', `sign-in did not complete within ${minutes}; try again`));
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    result.then(
      (cb) => {
        done();
        resolve(cb);
      },
      (e: unknown) => {
        done();
        reject(e);
      },
    );
  });
}

interface Listener {
  port: number;
  /** Resolves on the first GET /callback with the right state (rejects on ?error=). */
  result: Promise<Callback>;
  close(): void;
}

async function listenOnce(state: string): Promise<Listener> {
  let settle!: { resolve: (cb: Callback) => void; reject: (e: RuncodeError) => void };
  const result = new Promise<Callback>((resolve, reject) => (settle = { resolve, reject }));
  result.catch(() => undefined); // rejections are consumed by waitFor; never unhandled
  let handled = false;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/callback') return sendLoopbackPage(res, 'not_found');
    const q = url.searchParams;
    // Anything without our state (a stray tab, another local process guessing) is answered
    // and ignored: only the browser that went through our authorize URL can end the flow.
    if (!sameState(state, q.get('state'))) return sendLoopbackPage(res, 'wrong_state');
    if (handled) return sendLoopbackPage(res, 'done');
    handled = true;
    const error = q.get('error');
    const code = q.get('code');
    if (error !== null || !code) {
      sendLoopbackPage(res, error === 'access_denied' ? 'denied' : 'failed');
      const what = error === null ? 'no authorization code' : safeWord(error);
      settle.reject(
        error === 'access_denied'
          ? new RuncodeError('access_denied', 'sign-in was denied in the browser')
          : new RuncodeError('sign_in_failed', `the server ended sign-in with ${what}`),
      );
      return;
    }
    settle.resolve({ code, respond: (page) => sendLoopbackPage(res, page) });
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) =>
      reject(new RuncodeError('sign_in_failed', `cannot listen on 127.0.0.1 (${e.message})`)),
    );
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    result,
    close() {
      server.close();
      // Pages go out with `connection: close`, so idle sockets can go now; give one still
      // writing a moment to flush before it is cut.
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 1000).unref();
    },
  };
}

function safeWord(s: string): string {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(s) ? `"${s}"` : 'an error';
}
