// ed25519 keys in OpenSSH's own formats, made with Node's crypto. We do not use ssh2's
// utils.generateKeyPairSync: it is known upstream to emit a malformed key now and then.
import crypto from 'node:crypto';

const ED25519 = 'ssh-ed25519';

export interface Ed25519KeyPair {
  /** `openssh-key-v1` PEM, unencrypted (the file is 0600 and the key lives ~30 minutes). */
  privateKey: string;
  /** `ssh-ed25519 AAAA... comment` */
  publicKey: string;
  /** The wire blob: string "ssh-ed25519", string pub (32 bytes). */
  publicBlob: Buffer;
}

function sshString(b: Buffer | string): Buffer {
  const body = typeof b === 'string' ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

export function ed25519PublicBlob(raw: Buffer): Buffer {
  if (raw.length !== 32) throw new Error('an ed25519 public key is 32 bytes');
  return Buffer.concat([sshString(ED25519), sshString(raw)]);
}

/** Generates a fresh ed25519 pair; `comment` must be a single printable line. */
export function generateEd25519KeyPair(comment = ''): Ed25519KeyPair {
  if (!/^[\x20-\x7e]*$/.test(comment)) throw new Error('key comment must be printable ASCII');
  // DER straight out of the key generation, never KeyObject.export({format: 'jwk'}): on Node 20
  // that export can deadlock the process (it allocates while holding the key's mutex, a GC then
  // finalizes the generation job, which takes the same mutex; seen as a hung test worker, stack
  // ExportJWKEdKey -> GC -> ~KeyGenJob -> uv_mutex_lock).
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
  });
  // SPKI for ed25519 is a fixed 12-byte header + the 32-byte key; PKCS#8, 16 bytes + the seed.
  if (publicKey.length !== 44 || privateKey.length !== 48)
    throw new Error('unexpected ed25519 DER from node:crypto');
  const pub = publicKey.subarray(12);
  const seed = privateKey.subarray(16);
  const blob = ed25519PublicBlob(pub);
  const check = crypto.randomBytes(4);
  let priv = Buffer.concat([
    check,
    check,
    sshString(ED25519),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % 8 !== 0; i++) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(blob),
    sshString(priv),
  ]);
  const b64 = body.toString('base64').replace(/.{1,70}/g, '$&\n');
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `${ED25519} ${blob.toString('base64')}${comment ? ` ${comment}` : ''}`,
    publicBlob: blob,
  };
}

export interface ParsedPublicKey {
  type: 'ssh-ed25519';
  blob: Buffer;
  /** `ssh-ed25519 AAAA...` without a comment: the canonical form we store and compare. */
  line: string;
}

/**
 * Parses one `ssh-ed25519 AAAA... [comment]` line, strictly: canonical base64, the blob's
 * type matches, a 32-byte key, nothing trailing. Returns undefined for anything else.
 */
export function parseEd25519PublicKey(line: unknown): ParsedPublicKey | undefined {
  if (typeof line !== 'string' || line.length > 1024) return undefined;
  const m = /^ssh-ed25519 ([A-Za-z0-9+/]+={0,2})(?: [\x21-\x7e][\x20-\x7e]*)?$/.exec(line.trim());
  if (!m) return undefined;
  const b64 = m[1]!;
  const blob = Buffer.from(b64, 'base64');
  if (blob.toString('base64') !== b64) return undefined;
  if (blob.length !== 4 + ED25519.length + 4 + 32) return undefined;
  if (blob.readUInt32BE(0) !== ED25519.length) return undefined;
  if (blob.subarray(4, 4 + ED25519.length).toString('latin1') !== ED25519) return undefined;
  if (blob.readUInt32BE(4 + ED25519.length) !== 32) return undefined;
  return { type: ED25519, blob, line: `${ED25519} ${b64}` };
}

/** `SHA256:...` as OpenSSH prints it (unpadded base64 of the blob's digest). */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}
