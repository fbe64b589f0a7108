// The local server's owner secret (DESIGN.md, "The local RunCode server"): only the user who
// started the server may sign in to it. The server keeps a random secret in a 0600 file beside
// its CA certificate, in its 0700 data directory, and asks for it at /oauth/authorize; a client
// of a loopback endpoint finds it beside the CA file it was given and adds it to the authorize
// URL. Another local user can reach the port but cannot read the file.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The file's name, beside the server's `ca.pem`. */
export const OWNER_SECRET_FILE = 'owner-secret';
/** The query parameter of /oauth/authorize that carries it. */
export const OWNER_PARAM = 'owner';

const SHAPE = /^[A-Za-z0-9_-]{43}$/;
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** A fresh secret: 32 random bytes, base64url. */
export function newOwnerSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function isOwnerSecret(s: unknown): s is string {
  return typeof s === 'string' && SHAPE.test(s);
}

/** Constant-time comparison of a presented value with the secret. */
export function sameOwnerSecret(secret: string, presented: string | null | undefined): boolean {
  if (typeof presented !== 'string') return false;
  const a = crypto.createHash('sha256').update(secret).digest();
  const b = crypto.createHash('sha256').update(presented).digest();
  return crypto.timingSafeEqual(a, b);
}

/**
 * What our clients put in the authorize URL instead of the secret itself: an HMAC of this
 * request's PKCE challenge. The URL passes through a browser opener's argv (world-readable in
 * /proc) and the browser's history; this value is good only with that challenge, whose verifier
 * never leaves the client, so a copy of it signs no one else in. (The server still takes the raw
 * secret, for tools such as the conformance check.)
 */
export function ownerProof(secret: string, challenge: string): string {
  return crypto.createHmac('sha256', secret).update(`runcode-owner:${challenge}`).digest('base64url');
}

/** The raw secret, or the proof for this challenge, compared in constant time. */
export function isOwner(secret: string, presented: string | null | undefined, challenge: string): boolean {
  const raw = sameOwnerSecret(secret, presented);
  const proof = sameOwnerSecret(ownerProof(secret, challenge), presented);
  return raw || proof;
}

/**
 * The owner secret for signing in to `endpoint`, when it is a local server: loopback only, read
 * from beside `caFile`. Undefined for any other endpoint (a real backend needs none) or when
 * there is no such file (the server will then refuse, with a message that says why).
 */
export function readOwnerSecret(endpoint: string, caFile: string | undefined): string | undefined {
  if (!caFile) return undefined;
  let host: string;
  try {
    host = new URL(endpoint).hostname;
  } catch {
    return undefined;
  }
  if (!LOOPBACK.has(host)) return undefined;
  try {
    const s = fs.readFileSync(path.join(path.dirname(caFile), OWNER_SECRET_FILE), 'utf8').trim();
    return isOwnerSecret(s) ? s : undefined;
  } catch {
    return undefined;
  }
}
