// Can we write this config (and its directory)? Asked before anything is changed, with an answer
// that names the real cause: a read-only mode, another owner, an immutable flag, a read-only mount.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { RuncodeError, isRuncodeError } from '../errors.js';
import { describeWriteError } from '../fs/atomicWrite.js';

const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;
const octal = (mode: number): string => (mode & 0o777).toString(8).padStart(4, '0');

function refuse(p: string, what: string, why: string, cause?: unknown): never {
  throw new RuncodeError(
    'config_not_writable',
    `the SSH config ${what} ${p} ${why}; make it writable or set RUNCODE_SSH_CONFIG to another file; nothing was changed`,
    cause === undefined ? undefined : { cause },
  );
}

/** rename(2) ignores the file's own mode; a read-only config is the user saying "hands off". */
export async function checkWritable(real: string): Promise<void> {
  for (const p of [real, path.dirname(real)]) {
    const st = await fs.stat(p).catch(() => undefined);
    if (!st) continue;
    const what = p === real ? 'file' : 'directory';
    if ((st.mode & 0o222) === 0) refuse(p, what, `is not writable (mode ${octal(st.mode)})`);
    const denied = await fs.access(p, fs.constants.W_OK).then(
      () => undefined,
      (e: unknown) => errCode(e) ?? 'EACCES',
    );
    if (denied === 'EROFS') refuse(p, what, 'is on a read-only file system (EROFS)');
    // Linux says EPERM (not EACCES) for an immutable inode (`chattr +i`); macOS for `uchg`.
    if (denied === 'EPERM') refuse(p, what, 'is marked immutable (`chattr -i` or `chflags nouchg` undoes it)');
    if (denied) refuse(p, what, `is not writable (mode ${octal(st.mode)}) by this user (owner uid ${st.uid})`);
  }
}

/**
 * The directory really takes a new file (what an atomic write needs): catches an immutable or
 * full directory that the mode bits do not show. The probe file is removed at once.
 */
export async function probeDirectory(real: string): Promise<void> {
  const dir = path.dirname(real);
  const probe = path.join(dir, `.${path.basename(real)}.runcode-probe-${crypto.randomBytes(4).toString('hex')}`);
  try {
    await (await fs.open(probe, 'wx', 0o600)).close();
  } catch (e) {
    const code = errCode(e);
    if (code === 'ENOENT') return; // created on the first write
    const described = describeWriteError(e, real);
    if (described !== e) throw new RuncodeError('config_not_writable', (described as Error).message, { cause: e });
    if (code === 'EPERM') refuse(dir, 'directory', 'is marked immutable (`chattr -i` undoes it)', e);
    refuse(dir, 'directory', `does not take new files (${code})`, e);
  } finally {
    await fs.rm(probe, { force: true }).catch(() => undefined);
  }
}

const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'not_writable']);

/**
 * A write to `real` that failed because the file or its directory may not be written, as
 * `config_not_writable` naming the cause; any other error (a RuncodeError of its own) as it was.
 */
export function asNotWritable(real: string, e: unknown): unknown {
  if (isRuncodeError(e) && e.code !== 'not_writable') return e;
  if (!NOT_WRITABLE.has((isRuncodeError(e) ? e.code : errCode(e)) ?? '')) return e;
  const why = isRuncodeError(e) ? e.message.replace(/; nothing was changed$/, '') : errCode(e);
  return new RuncodeError('config_not_writable', `cannot write ${real} (${why}); nothing was changed`, {
    cause: e,
  });
}
