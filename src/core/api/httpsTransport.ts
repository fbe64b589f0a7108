// JSON over HTTPS to the control plane, with the failure modes a user can act on mapped to
// stable RuncodeError codes. HTTPS only (DESIGN.md): the token must never cross the wire in
// clear. One keep-alive agent per transport so polling reuses a TLS session.
import https from 'node:https';
import { RuncodeError } from '../errors.js';
import { trustedCaOptions } from './trustedCa.js';
import { parseErrorBody } from './schemas.js';

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface HttpsTransportOptions {
  /** `https://host[:port][/base]`; anything else is refused. */
  endpoint: string;
  /** Extra CA to trust besides the system roots: PEM text. */
  ca?: string;
  /** Extra CA to trust besides the system roots: a PEM file path. */
  caFile?: string;
  timeoutMs?: number;
  maxBodyBytes?: number;
}

export interface JsonRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  /** Bearer token; sent only in the Authorization header, never in a message or a log. */
  token?: string;
  /** Status codes that count as success. */
  ok: readonly number[];
}

const TLS_TRUST = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME/;

/** Checks an endpoint URL; its path is a base that API paths are appended to. */
export function checkEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new RuncodeError('bad_endpoint', `"${endpoint}" is not a valid URL; expected https://HOST[:PORT]`);
  }
  if (url.protocol === 'http:') {
    throw new RuncodeError(
      'insecure_endpoint',
      `refusing the plain-HTTP endpoint ${url.origin}: RunCode talks to its server over HTTPS only (use https://)`,
    );
  }
  if (url.protocol !== 'https:') {
    throw new RuncodeError('bad_endpoint', `the endpoint must be an https:// URL (got ${url.protocol})`);
  }
  if (url.username || url.password) {
    throw new RuncodeError('bad_endpoint', 'the endpoint URL must not contain a user name or password');
  }
  if (url.search || url.hash || endpoint.includes('?') || endpoint.includes('#')) {
    throw new RuncodeError('bad_endpoint', 'the endpoint URL must not contain a query (?) or fragment (#)');
  }
  return url;
}

export class HttpsTransport {
  readonly endpoint: string;
  private readonly base: URL;
  /** The endpoint's path without a trailing slash ('' for the root). */
  private readonly basePath: string;
  private readonly agent: https.Agent;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;

  constructor(opts: HttpsTransportOptions) {
    this.base = checkEndpoint(opts.endpoint);
    this.basePath = this.base.pathname.replace(/\/+$/, '');
    this.endpoint = this.base.origin + this.basePath;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: 8,
      ...trustedCaOptions(opts),
    });
  }

  /** Closes idle keep-alive sockets so a CLI process can exit promptly. */
  close(): void {
    this.agent.destroy();
  }

  /** Sends one request and resolves with the parsed JSON body (undefined for an empty body). */
  request(req: JsonRequest): Promise<unknown> {
    const data = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'runcode-tray' };
    if (data) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(data.length);
    }
    if (req.token !== undefined) headers.authorization = `Bearer ${req.token}`;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (e: RuncodeError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        r.destroy();
        reject(e);
      };
      const timer = setTimeout(
        () =>
          fail(
            new RuncodeError(
              'timeout',
              `the RunCode server at ${this.endpoint} did not answer within ${Math.round(this.timeoutMs / 100) / 10} s`,
            ),
          ),
        this.timeoutMs,
      );
      const r = https.request(
        {
          protocol: 'https:',
          hostname: this.base.hostname.replace(/^\[|\]$/g, ''),
          port: this.base.port || 443,
          path: this.basePath + req.path,
          method: req.method,
          headers,
          agent: this.agent,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const declared = Number(res.headers['content-length'] ?? 0);
          if (declared > this.maxBodyBytes) return fail(this.tooLarge());
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > this.maxBodyBytes) fail(this.tooLarge());
            else chunks.push(c);
          });
          res.on('error', (e) => fail(this.networkError(e)));
          res.on('end', () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            try {
              resolve(this.interpret(req, status, res.headers['content-type'], Buffer.concat(chunks)));
            } catch (e) {
              reject(e);
            }
          });
        },
      );
      r.on('socket', (s) => s.setNoDelay(true));
      r.on('error', (e) => fail(this.networkError(e)));
      r.end(data);
    });
  }

  private tooLarge(): RuncodeError {
    return new RuncodeError(
      'bad_response',
      `the server's answer is larger than ${Math.round(this.maxBodyBytes / 1024)} KiB; refusing it`,
    );
  }

  private interpret(req: JsonRequest, status: number, type: string | undefined, body: Buffer): unknown {
    const isJson = /^application\/json\s*(;|$)/i.test(type ?? '');
    let json: unknown;
    if (isJson && body.length > 0) {
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        if (req.ok.includes(status)) {
          throw new RuncodeError(
            'bad_response',
            `the server's answer to ${req.method} ${req.path} is not valid JSON`,
          );
        }
      }
    }
    if (req.ok.includes(status)) {
      if (body.length === 0) return undefined;
      if (!isJson) {
        throw new RuncodeError(
          'bad_response',
          `the server answered ${req.method} ${req.path} with content type "${(type ?? 'none').slice(0, 80)}", not JSON; refusing it`,
        );
      }
      return json;
    }
    throw this.statusError(status, parseErrorBody(json));
  }

  private statusError(status: number, body: ReturnType<typeof parseErrorBody>): RuncodeError {
    const said = body ? `: ${body.error.message} (${body.error.code})` : '';
    if (status === 401) {
      return new RuncodeError('unauthorized', `the server did not accept your sign-in${said}; sign in again`);
    }
    if (status === 404) return new RuncodeError('not_found', `not found${said}`);
    if (status === 403) return new RuncodeError('forbidden', `the server refused this${said}`);
    if (status === 409)
      return new RuncodeError('conflict', `the server refused this in the current state${said}`);
    if (status === 429)
      return new RuncodeError('rate_limited', `the server is busy; try again shortly${said}`);
    if (status >= 300 && status < 400) {
      return new RuncodeError('bad_response', `the server answered with an unexpected redirect (${status})`);
    }
    if (status >= 500) return new RuncodeError('server_error', `the server failed (HTTP ${status})${said}`);
    return new RuncodeError('request_refused', `the server refused the request (HTTP ${status})${said}`);
  }

  private networkError(e: Error): RuncodeError {
    if (e instanceof RuncodeError) return e;
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (TLS_TRUST.test(code)) {
      return new RuncodeError(
        'tls',
        `the server's certificate at ${this.endpoint} is not trusted (${code}); if it uses its own CA, pass --ca FILE`,
        { cause: e },
      );
    }
    if (code.startsWith('ERR_SSL') || code === 'EPROTO' || /SSL|TLS/.test(e.message)) {
      return new RuncodeError(
        'tls',
        `could not set up HTTPS with ${this.endpoint} (${code || e.message}); is it an HTTPS endpoint?`,
        { cause: e },
      );
    }
    return new RuncodeError(
      'unreachable',
      `cannot reach the RunCode server at ${this.endpoint} (${code || e.message})`,
      {
        cause: e,
      },
    );
  }
}
