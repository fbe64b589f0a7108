// The public line of an ed25519 private key, as ssh2 loads it: one rule for the client's key
// store and the gateway's host key.
import ssh2 from 'ssh2';

/** `ssh-ed25519 AAAA...` of a private key file's bytes; undefined if they are not an ed25519 key. */
export function publicKeyOfPrivate(pem: Buffer | string): string | undefined {
  const parsed = ssh2.utils.parseKey(pem);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error || key.type !== 'ssh-ed25519' || !key.isPrivateKey()) return undefined;
  return `ssh-ed25519 ${key.getPublicSSH().toString('base64')}`;
}
