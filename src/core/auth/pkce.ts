// PKCE S256 (RFC 7636) and the OAuth `state`, with the constant-time comparison RFC 8252
// loopback clients want: a local process racing the browser must not learn the state by timing.
import crypto from 'node:crypto';

export interface Pkce {
  /** 32 random bytes, base64url: 43 characters, within RFC 7636's 43..128. */
  verifier: string;
  /** base64url(SHA-256(verifier)). */
  challenge: string;
}

export function createPkce(): Pkce {
  const verifier = crypto.randomBytes(32).toString('base64url');
  return { verifier, challenge: crypto.createHash('sha256').update(verifier).digest('base64url') };
}

/** A 128-bit random state, base64url. */
export function createState(): string {
  return crypto.randomBytes(16).toString('base64url');
}

/** Constant-time equality; a length mismatch (which leaks only the length) is simply false. */
export function sameState(expected: string, got: string | null | undefined): boolean {
  if (typeof got !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(got, 'utf8');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
