// The gateway's persistent ed25519 host key. Clients pin it (SshPass.hostKeys), so it is made
// once and never silently replaced: a damaged key file is an error, not a reason to regenerate.
import fs from 'node:fs';
import path from 'node:path';
import { RuncodeError } from '../core/errors.js';
import { generateEd25519KeyPair } from '../core/ssh/opensshKey.js';
import { publicKeyOfPrivate } from '../core/ssh/publicKeyOfPrivate.js';

export const HOST_KEY_FILE = 'gateway_host_ed25519_key';

export interface HostKey {
  /** `openssh-key-v1` PEM. */
  privateKey: string;
  /** `ssh-ed25519 AAAA...` */
  publicKey: string;
}

export function ensureHostKey(dataDir: string): HostKey {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, HOST_KEY_FILE);
  let privateKey: string | undefined;
  try {
    privateKey = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (privateKey === undefined) {
    const pair = generateEd25519KeyPair('runcode-gateway');
    // Write then rename, so a crash never leaves a half-written key that we would refuse later.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, pair.privateKey, { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, file);
    fs.writeFileSync(`${file}.pub`, `${pair.publicKey}\n`, { mode: 0o644 });
    privateKey = pair.privateKey;
  } else if ((fs.statSync(file).mode & 0o077) !== 0) {
    fs.chmodSync(file, 0o600);
  }
  const publicKey = publicKeyOfPrivate(privateKey);
  if (!publicKey) {
    throw new RuncodeError(
      'host_key_invalid',
      `the gateway host key ${file} is not a readable ed25519 OpenSSH private key; ` +
        'restore it, or delete it to make a new one (clients that pinned the old key will refuse the new one)',
    );
  }
  return { privateKey, publicKey };
}
