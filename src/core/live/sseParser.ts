// An incremental text/event-stream parser (WHATWG HTML, "Server-sent events", 9.2.6), fed raw
// bytes. It splits lines on bytes (CR, LF and CRLF never occur inside a UTF-8 sequence) so a
// chunk boundary in the middle of a character or of a CRLF cannot corrupt anything, and it
// bounds every line and every event: a server that never ends a line or an event cannot make
// us buffer without end.
import { RuncodeError } from '../errors.js';

export interface SseEvent {
  /** The last event ID in effect when this event was dispatched ('' when none was ever set). */
  id: string;
  /** `event:`; 'message' when the event named none. */
  type: string;
  /** The `data:` lines joined with '\n'. */
  data: string;
}

export interface SseParserHandlers {
  onEvent(ev: SseEvent): void;
  /** A `:` comment line (servers send them as heartbeats). */
  onComment?(text: string): void;
  /** A valid `retry:` (milliseconds). */
  onRetry?(ms: number): void;
}

export interface SseLimits {
  /** Longest line accepted, in bytes. */
  maxLineBytes: number;
  /** Largest event data accepted, in bytes (UTF-8 of the joined data). */
  maxEventBytes: number;
}

export const DEFAULT_SSE_LIMITS: SseLimits = { maxLineBytes: 256 * 1024, maxEventBytes: 256 * 1024 };

const LF = 0x0a;
const CR = 0x0d;

export class SseParser {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The previous chunk ended in CR: a LF starting the next one belongs to the same break. */
  private afterCr = false;
  private firstLine = true;
  private data: string[] = [];
  private dataBytes = 0;
  private type = '';
  private lastId = '';
  private idBuffer = '';

  constructor(
    private readonly handlers: SseParserHandlers,
    private readonly limits: SseLimits = DEFAULT_SSE_LIMITS,
    initialLastId = '',
  ) {
    this.lastId = initialLastId;
    this.idBuffer = initialLastId;
  }

  /** The last event ID string as the spec defines it (what to send as Last-Event-ID). */
  get lastEventId(): string {
    return this.lastId;
  }

  /** Feeds bytes; throws RuncodeError('bad_stream') when a bound is exceeded. */
  push(chunk: Buffer): void {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b !== LF && b !== CR) continue;
      if (b === LF && this.afterCr && i === start && this.pendingBytes === 0) {
        // The LF of a CRLF split across the previous line's end.
        this.afterCr = false;
        start = i + 1;
        continue;
      }
      this.afterCr = b === CR;
      this.take(chunk.subarray(start, i));
      this.line();
      start = i + 1;
    }
    if (start < chunk.length) {
      this.afterCr = false;
      this.take(chunk.subarray(start));
    }
  }

  private take(part: Buffer): void {
    if (part.length === 0) return;
    this.pendingBytes += part.length;
    if (this.pendingBytes > this.limits.maxLineBytes) {
      throw new RuncodeError(
        'bad_stream',
        `the server sent an event-stream line longer than ${kib(this.limits.maxLineBytes)}; refusing it`,
      );
    }
    this.pending.push(part);
  }

  private line(): void {
    let text = Buffer.concat(this.pending, this.pendingBytes).toString('utf8');
    this.pending = [];
    this.pendingBytes = 0;
    if (this.firstLine) {
      this.firstLine = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text === '') return this.dispatch();
    if (text[0] === ':') return this.handlers.onComment?.(text.slice(1).replace(/^ /, ''));
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    switch (field) {
      case 'event':
        this.type = value;
        break;
      case 'data':
        this.dataBytes += Buffer.byteLength(value) + 1;
        if (this.dataBytes > this.limits.maxEventBytes + 1) {
          throw new RuncodeError(
            'bad_stream',
            `the server sent an event larger than ${kib(this.limits.maxEventBytes)}; refusing it`,
          );
        }
        this.data.push(value);
        break;
      case 'id':
        // The spec ignores an id containing NUL.
        if (!value.includes('\0')) this.idBuffer = value;
        break;
      case 'retry':
        if (/^\d{1,9}$/.test(value)) this.handlers.onRetry?.(Number(value));
        break;
      default:
      // Unknown fields are ignored (the spec says so).
    }
  }

  private dispatch(): void {
    this.lastId = this.idBuffer;
    const hadData = this.data.length > 0;
    const ev: SseEvent = { id: this.lastId, type: this.type || 'message', data: this.data.join('\n') };
    this.data = [];
    this.dataBytes = 0;
    this.type = '';
    if (hadData) this.handlers.onEvent(ev);
  }
}

function kib(bytes: number): string {
  return `${Math.round(bytes / 1024)} KiB`;
}
