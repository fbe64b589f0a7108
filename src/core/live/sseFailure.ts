// How an event-stream connection fails, in words a user can act on: a response that is not a
// stream (with the server's error body when it sent one), and socket/TLS errors. Plus the CA
// loading the client needs, the same rules as the JSON transport's.
import type http from 'node:http';
import { parseErrorBody } from '../api/schemas.js';
import { RuncodeError } from '../errors.js';

const TLS_TRUST = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME/;
const MAX_ERROR_BODY = 64 * 1024;

/**
 * undefined for a proper stream (200, text/event-stream); otherwise the error that describes the
 * response once its (small) body has been read.
 */
export function streamRefusal(
  res: http.IncomingMessage,
  path: string,
): ((body: Buffer) => RuncodeError) | undefined {
  const status = res.statusCode ?? 0;
  const type = res.headers['content-type'] ?? '';
  if (status === 200 && /^text\/event-stream\s*(;|$)/i.test(type)) return undefined;
  return (body) => {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      // Not JSON: the status alone says enough.
    }
    const e = parseErrorBody(json);
    const said = e ? `: ${e.error.message} (${e.error.code})` : '';
    if (status === 200) {
      return new RuncodeError(
        'bad_stream',
        `the server answered ${path} with content type "${type.slice(0, 80)}", not an event stream`,
      );
    }
    if (status === 401) {
      return new RuncodeError('unauthorized', `the server did not accept your sign-in${said}; sign in again`);
    }
    if (status >= 500)
      return new RuncodeError('server_error', `the event stream failed (HTTP ${status})${said}`);
    return new RuncodeError('request_refused', `the server refused the event stream (HTTP ${status})${said}`);
  };
}

export function streamNetworkError(e: Error, endpoint: string): RuncodeError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (TLS_TRUST.test(code)) {
    return new RuncodeError('tls', `the server's certificate at ${endpoint} is not trusted (${code})`, {
      cause: e,
    });
  }
  if (code.startsWith('ERR_SSL') || code === 'EPROTO') {
    return new RuncodeError('tls', `could not set up HTTPS with ${endpoint} (${code})`, { cause: e });
  }
  return new RuncodeError(
    'unreachable',
    `cannot reach the event stream at ${endpoint} (${code || e.message})`,
    {
      cause: e,
    },
  );
}

/** Reads at most 64 KiB of a refused response (an error body), then stops. */
export function readSmall(res: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve(Buffer.concat(chunks));
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_ERROR_BODY) {
        res.destroy();
        done();
      } else chunks.push(c);
    });
    res.on('end', done);
    res.on('error', done);
  });
}
