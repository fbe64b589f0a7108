// The file name of a workspace's key, `NAME.<id>` with <id> from the public key's SHA-256: a
// record names its key by its public half. Small on purpose (no ssh2, no zod): the CLI's fast
// path (src/cli/freshTarget.ts) finds the key with it.
import crypto from 'node:crypto';
import { RuncodeError } from '../errors.js';
import { parseEd25519PublicKey } from '../ssh/opensshKey.js';

/** The file id of a public key: 16 hex digits of its blob's SHA-256. */
export function keyId(publicKey: string): string {
  const parsed = parseEd25519PublicKey(publicKey);
  if (!parsed) throw new RuncodeError('invalid_argument', 'not an ssh-ed25519 public key');
  return crypto.createHash('sha256').update(parsed.blob).digest('hex').slice(0, 16);
}

/** `NAME.<id>`: the private key's file name in `<state>/keys` (`.pub` beside it). */
export function keyFileName(name: string, publicKey: string): string {
  return `${name}.${keyId(publicKey)}`;
}
