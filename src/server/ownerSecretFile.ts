// The server side of the owner secret (see core/auth/ownerSecret.ts): made once, kept in
// `<data>/tls/owner-secret` (0600, in 0700 directories), replaced if anyone else could read it.
import fs from 'node:fs';
import path from 'node:path';
import { OWNER_SECRET_FILE, isOwnerSecret, newOwnerSecret } from '../core/auth/ownerSecret.js';

/** Returns the secret, making (or remaking) the file when it is missing, malformed or exposed. */
export function ensureOwnerSecret(dataDir: string): string {
  const dir = path.join(dataDir, 'tls');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Whatever modes an older run or a person left: the data and tls directories are the owner's.
  fs.chmodSync(dataDir, 0o700);
  fs.chmodSync(dir, 0o700);
  const file = path.join(dir, OWNER_SECRET_FILE);
  try {
    const st = fs.lstatSync(file);
    const mine = process.getuid === undefined || st.uid === process.getuid();
    const s = fs.readFileSync(file, 'utf8').trim();
    if (st.isFile() && mine && (st.mode & 0o077) === 0 && isOwnerSecret(s)) return s;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const secret = newOwnerSecret();
  const tmp = `${file}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  fs.writeFileSync(tmp, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  fs.renameSync(tmp, file);
  return secret;
}
