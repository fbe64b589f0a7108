// Small HTTP helpers for the control plane: protocol v1's error shape, JSON answers, and request
// bodies read with a hard cap (no web framework: Node's https module only).
import type http from 'node:http';
import type { ApiErrorBody } from '../shared/protocol.js';

/** Request bodies above this are refused with 413 without reading further. */
export const MAX_BODY_BYTES = 64 * 1024;

/** An error that becomes a protocol v1 error answer: `{"error":{"code","message"}}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Headers every answer carries: nothing here is cacheable, nothing is to be sniffed. */
const BASE_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...BASE_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function sendEmpty(res: http.ServerResponse, status: number): void {
  res.writeHead(status, BASE_HEADERS);
  res.end();
}

export function sendError(res: http.ServerResponse, err: HttpError): void {
  const body: ApiErrorBody = { error: { code: err.code, message: err.message } };
  sendJson(res, err.status, body, err.headers);
}

export function sendHtml(
  res: http.ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...BASE_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(html)),
    // No script anywhere; styles inline; nobody may frame our pages (clickjacking the consent).
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    ...headers,
  });
  res.end(html);
}

export function redirect(res: http.ServerResponse, location: string): void {
  res.writeHead(302, { ...BASE_HEADERS, location, 'content-length': '0', 'referrer-policy': 'no-referrer' });
  res.end();
}

/**
 * Reads the whole body, at most MAX_BODY_BYTES. Past the cap it stops reading and throws 413;
 * the caller's answer then closes the connection so the unread rest is never consumed.
 */
export async function readBody(req: http.IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const tooLarge = () =>
    new HttpError(413, 'body_too_large', `request body is larger than ${limit} bytes`, {
      connection: 'close',
    });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.pause();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  return new Promise<Buffer>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const isJsonType = (ct: string | undefined) => /^application\/json\s*(;|$)/i.test(ct ?? '');

/** Reads a JSON object body; anything else (wrong type, bad JSON, not an object) is a 4xx. */
export async function readJsonObject(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  if (!isJsonType(req.headers['content-type'])) {
    throw new HttpError(415, 'unsupported_media_type', 'send the request body as application/json');
  }
  const raw = await readBody(req);
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'the request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'invalid_request', 'the request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** A required string field of a JSON body, with an error naming it. */
export function stringField(body: Record<string, unknown>, name: string, maxLength = 4096): string {
  const v = body[name];
  if (typeof v !== 'string' || v.length === 0) {
    throw new HttpError(400, 'invalid_request', `'${name}' must be a non-empty string`);
  }
  if (v.length > maxLength) throw new HttpError(400, 'invalid_request', `'${name}' is too long`);
  return v;
}

/** Drains (up to the cap) a body the route does not use, so keep-alive stays sound. */
export async function discardBody(req: http.IncomingMessage): Promise<void> {
  await readBody(req);
}
