// Before RunCode first changes a user's ssh config: `<config>.runcode-backup` (never overwritten)
// and a record in the state dir of whether the file existed, so removal can give back "absent".
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { RuncodeError } from '../errors.js';
import { atomicWrite } from '../fs/atomicWrite.js';

export interface Origin {
  path: string;
  existed: boolean;
  backup: string | null;
  time: string;
}

const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;

function originFile(stateDir: string, real: string): string {
  const id = crypto.createHash('sha256').update(real).digest('hex').slice(0, 16);
  return path.join(stateDir, `ssh-config-origin-${id}.json`);
}

/** The origin record of `real`, writing the backup and the record on the first call ever. */
export async function backupOnce(stateDir: string, real: string, text: string | undefined): Promise<Origin> {
  const recordPath = originFile(stateDir, real);
  try {
    return JSON.parse(await fs.readFile(recordPath, 'utf8')) as Origin;
  } catch (e) {
    if (errCode(e) !== 'ENOENT') {
      throw new RuncodeError('state_corrupt', `cannot read ${recordPath}; delete it and try again`, {
        cause: e,
      });
    }
  }
  const backup = `${real}.runcode-backup`;
  if (text !== undefined) {
    const mode = (await fs.stat(real)).mode & 0o777;
    try {
      const fh = await fs.open(backup, 'wx', 0o600);
      try {
        await fh.writeFile(Buffer.from(text, 'latin1'));
        await fh.chmod(mode);
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (e) {
      if (errCode(e) !== 'EEXIST') throw e; // an earlier backup stays the original
    }
  }
  const origin: Origin = {
    path: real,
    existed: text !== undefined,
    backup: text !== undefined ? backup : null,
    time: new Date().toISOString(),
  };
  await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });
  await atomicWrite(recordPath, JSON.stringify(origin, null, 2) + '\n', { mode: 0o600 });
  return origin;
}
