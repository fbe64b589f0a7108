// A text/event-stream client over node:https (HTTPS only, an extra CA beside the system roots,
// a Bearer token), one connection at a time. It remembers the last event ID across connections
// and sends it as Last-Event-ID, so a reconnect resumes where the last stream stopped. A
// watchdog treats a stream that sends no byte for `idleTimeoutMs` (three missed 15 s heartbeats)
// as dead: a laptop that slept or a NAT that forgot the connection leaves a socket that never
// errors. When to reconnect is the caller's decision (WorkspaceFeed owns the backoff).
import type http from 'node:http';
import https from 'node:https';
import type { TokenSource } from '../api/apiClient.js';
import { bearerToken } from '../api/bearerToken.js';
import { checkEndpoint } from '../api/httpsTransport.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { RuncodeError } from '../errors.js';
import { trustedCaOptions } from '../api/trustedCa.js';
import type { SseEvent, SseLimits } from './sseParser.js';
import { DEFAULT_SSE_LIMITS, SseParser } from './sseParser.js';
import { readSmall, streamNetworkError, streamRefusal } from './sseFailure.js';

export const DEFAULT_IDLE_TIMEOUT_MS = 45_000;

export interface SseClientOptions {
  /** `https://host[:port][/base]`. */
  endpoint: string;
  /** Path under the endpoint, e.g. `/api/v1/events`. */
  path: string;
  /** Extra CA to trust besides the system roots (PEM text or a file). */
  ca?: string;
  caFile?: string;
  token?: TokenSource;
  clock?: Clock;
  /** No byte for this long = a dead stream. Default 45 000. */
  idleTimeoutMs?: number;
  limits?: Partial<SseLimits>;
  /** Resume from this event ID on the first connection. */
  lastEventId?: string;
}

export interface SseHandlers {
  /** The server accepted the stream (200, text/event-stream). */
  onOpen?(): void;
  onEvent(ev: SseEvent): void;
  onComment?(text: string): void;
  /**
   * Called exactly once when a connection ends by itself (never after `close()`): 'stream_ended',
   * 'stream_stalled', 'bad_stream', 'unauthorized', 'unreachable', 'tls', 'server_error', ...
   */
  onClose(reason: RuncodeError): void;
}

export interface SseConnection {
  /** Ends the connection without calling onClose. */
  close(): void;
}

export class SseClient {
  /** Sent as Last-Event-ID on the next connection ('' = none). */
  lastEventId: string;
  /** The server's `retry:` advice in ms, if it gave one. */
  retryMs: number | undefined;
  private readonly base: URL;
  /** The endpoint's path without a trailing slash ('' for the root). */
  private readonly basePath: string;
  private readonly agent: https.Agent;
  private readonly clock: Clock;
  private readonly idleTimeoutMs: number;
  private readonly limits: SseLimits;
  private current: SseConnection | undefined;

  constructor(private readonly opts: SseClientOptions) {
    this.base = checkEndpoint(opts.endpoint);
    this.basePath = this.base.pathname.replace(/\/+$/, '');
    if (!opts.path.startsWith('/'))
      throw new RuncodeError('invalid_argument', 'the event-stream path must start with /');
    // No keep-alive: an event stream holds its socket for its whole life anyway.
    this.agent = new https.Agent({ keepAlive: false, ...trustedCaOptions(opts) });
    this.clock = opts.clock ?? systemClock;
    this.idleTimeoutMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.limits = { ...DEFAULT_SSE_LIMITS, ...opts.limits };
    this.lastEventId = opts.lastEventId ?? '';
  }

  get endpoint(): string {
    return this.base.origin + this.basePath;
  }

  /** Opens a connection (closing any previous one). Failures arrive through onClose. */
  connect(handlers: SseHandlers): SseConnection {
    this.current?.close();
    const conn = this.open(handlers);
    this.current = conn;
    return conn;
  }

  dispose(): void {
    this.current?.close();
    this.current = undefined;
    this.agent.destroy();
  }

  private open(h: SseHandlers): SseConnection {
    let done = false;
    let req: http.ClientRequest | undefined;
    let lastByte = this.clock.monotonic();
    let cancelWatchdog: () => void = () => {};
    const finish = (reason: RuncodeError | undefined) => {
      if (done) return;
      done = true;
      cancelWatchdog();
      req?.destroy();
      if (reason) h.onClose(reason);
    };
    // One timer per connection, re-armed only when it fires, so heartbeats cost no timer churn.
    const watch = (ms: number) => {
      cancelWatchdog = this.clock.setTimer(() => {
        const idle = this.clock.monotonic() - lastByte;
        if (idle < this.idleTimeoutMs) return watch(this.idleTimeoutMs - idle);
        finish(
          new RuncodeError(
            'stream_stalled',
            `the event stream from ${this.endpoint} sent nothing for ${Math.round(idle / 1000)} s; reconnecting`,
          ),
        );
      }, ms);
    };
    watch(this.idleTimeoutMs);

    void this.headers().then(
      (headers) => {
        if (done) return;
        req = https.request(
          {
            protocol: 'https:',
            hostname: this.base.hostname.replace(/^\[|\]$/g, ''),
            port: this.base.port || 443,
            path: this.basePath + this.opts.path,
            method: 'GET',
            headers,
            agent: this.agent,
          },
          (res) => {
            lastByte = this.clock.monotonic();
            const refused = streamRefusal(res, this.opts.path);
            if (refused) return void readSmall(res).then((body) => finish(refused(body)));
            const parser = new SseParser(
              {
                onEvent: (ev) => {
                  // After close() nothing moves the resume point: an undelivered event must be replayed.
                  if (done) return;
                  this.lastEventId = ev.id;
                  h.onEvent(ev);
                },
                onComment: (text) => {
                  if (!done) h.onComment?.(text);
                },
                onRetry: (ms) => (this.retryMs = ms),
              },
              this.limits,
              this.lastEventId,
            );
            h.onOpen?.();
            res.on('data', (chunk: Buffer) => {
              if (done) return;
              lastByte = this.clock.monotonic();
              try {
                parser.push(chunk);
                // An `id:` with no data still moves the resume point (the spec says so).
                if (!done) this.lastEventId = parser.lastEventId;
              } catch (e) {
                finish(e instanceof RuncodeError ? e : new RuncodeError('bad_stream', String(e)));
              }
            });
            res.on('end', () =>
              finish(
                new RuncodeError('stream_ended', `the server at ${this.endpoint} ended the event stream`),
              ),
            );
            res.on('error', (e) => finish(streamNetworkError(e, this.endpoint)));
          },
        );
        req.on('socket', (s) => {
          s.setNoDelay(true);
          s.setKeepAlive(true, 15_000);
        });
        req.on('error', (e) => finish(streamNetworkError(e, this.endpoint)));
        req.end();
      },
      (e: unknown) => finish(e instanceof RuncodeError ? e : new RuncodeError('not_signed_in', String(e))),
    );
    return { close: () => finish(undefined) };
  }

  private async headers(): Promise<Record<string, string>> {
    const headers: Record<string, string> = {
      accept: 'text/event-stream',
      'cache-control': 'no-store',
      'user-agent': 'runcode-tray',
    };
    const source = this.opts.token;
    const token = typeof source === 'function' ? await source() : source;
    if (source !== undefined) headers.authorization = `Bearer ${bearerToken(token)}`;
    // An ID is echoed into a header: anything but printable ASCII would be a header injection.
    if (this.lastEventId !== '' && /^[\x20-\x7e]{1,256}$/.test(this.lastEventId)) {
      headers['last-event-id'] = this.lastEventId;
    }
    return headers;
  }
}
