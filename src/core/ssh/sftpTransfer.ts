// put/get over SFTP. Each transfer writes a temporary file beside the destination and renames it
// into place, so a failed or cancelled transfer never leaves a half-written destination; the
// permission bits of the source are kept; an existing destination is refused unless `overwrite`.
// A destination that is a directory receives the file under the source's name.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Client, SFTPWrapper, Stats } from 'ssh2';
import { RuncodeError } from '../errors.js';

export interface TransferProgress {
  bytes: number;
  total: number;
}

export interface TransferOptions {
  overwrite?: boolean;
  onProgress?(p: TransferProgress): void;
}

export interface TransferResult {
  /** Where the file ended up (the destination, or inside it when it is a directory). */
  path: string;
  bytes: number;
  mode: number;
}

const SFTP_NO_SUCH_FILE = 2;

/** A hidden name beside `dest` (same directory, so the final rename stays on one file system). */
function tempName(dest: string, p: path.PlatformPath): string {
  return p.join(
    p.dirname(dest),
    `.${p.basename(dest)}.runcode-${crypto.randomBytes(6).toString('hex')}.part`,
  );
}

function openSftp(client: Client): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) =>
    client.sftp((err, sftp) =>
      err
        ? reject(
            new RuncodeError('sftp_unavailable', `the workspace did not start SFTP: ${err.message}`, {
              cause: err,
            }),
          )
        : resolve(sftp),
    ),
  );
}

function call<T>(fn: (cb: (err: Error | null | undefined, v: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));
}

async function remoteStat(sftp: SFTPWrapper, p: string): Promise<Stats | undefined> {
  try {
    return await call<Stats>((cb) => sftp.stat(p, cb));
  } catch (e) {
    if ((e as { code?: unknown }).code === SFTP_NO_SUCH_FILE) return undefined;
    throw e;
  }
}

function localStat(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function failed(what: string, e: unknown): RuncodeError {
  if (e instanceof RuncodeError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new RuncodeError('transfer_failed', `${what} failed: ${msg}`, { cause: e });
}

function noDirectory(dir: string, st: Stats | undefined): RuncodeError {
  return new RuncodeError(
    'not_found',
    st
      ? `${dir} in the workspace is not a directory`
      : `the directory ${dir} does not exist in the workspace`,
  );
}

function exists(where: string): RuncodeError {
  return new RuncodeError('exists', `${where} already exists; pass overwrite to replace it`);
}

/** Re-throws `e`; an `exists` refusal says `hint` instead (a front end's own words for overwrite). */
export function withOverwriteHint(hint: string): (e: unknown) => never {
  return (e) => {
    if (e instanceof RuncodeError && e.code === 'exists') {
      throw new RuncodeError('exists', e.message.replace(/pass overwrite to replace it$/, () => hint));
    }
    throw e;
  };
}

/** Uploads `localPath` to `remotePath` in the workspace. */
export async function putFile(
  client: Client,
  localPath: string,
  remotePath: string,
  opts: TransferOptions = {},
): Promise<TransferResult> {
  const src = localStat(localPath);
  if (!src?.isFile()) throw new RuncodeError('not_found', `${localPath} is not a file here`);
  const mode = src.mode & 0o7777;
  const sftp = await openSftp(client);
  let tmp: string | undefined;
  try {
    let dest = remotePath;
    let st = await remoteStat(sftp, dest);
    if (st?.isDirectory()) {
      dest = path.posix.join(dest, path.basename(localPath));
      st = await remoteStat(sftp, dest);
    } else if (remotePath.endsWith('/')) {
      throw noDirectory(remotePath.replace(/\/+$/, '') || '/', st);
    }
    if (st && !opts.overwrite) throw exists(`${dest} in the workspace`);
    if (!st) {
      // Name the directory that is missing, not "No such file" about the file being sent.
      const dir = path.posix.dirname(dest);
      const dirSt = await remoteStat(sftp, dir);
      if (!dirSt?.isDirectory()) throw noDirectory(dir, dirSt);
    }
    tmp = tempName(dest, path.posix);
    const t = tmp;
    await call((cb) =>
      sftp.fastPut(
        localPath,
        t,
        { mode: 0o600, step: (bytes, _n, total) => opts.onProgress?.({ bytes, total }) },
        (err) => cb(err, undefined),
      ),
    );
    await call((cb) => sftp.chmod(t, mode, (err) => cb(err, undefined)));
    if (opts.overwrite) {
      // posix-rename replaces atomically; plain SFTP rename refuses an existing target.
      await call((cb) => sftp.ext_openssh_rename(t, dest, (err) => cb(err, undefined)));
    } else {
      // OpenSSH's rename links then unlinks: it fails rather than clobber a file made meanwhile.
      await call((cb) => sftp.rename(t, dest, (err) => cb(err, undefined)));
    }
    tmp = undefined;
    opts.onProgress?.({ bytes: src.size, total: src.size });
    return { path: dest, bytes: src.size, mode };
  } catch (e) {
    throw failed(`uploading ${localPath}`, e);
  } finally {
    if (tmp) await call((cb) => sftp.unlink(tmp!, (err) => cb(err, undefined))).catch(() => undefined);
    sftp.end();
  }
}

/** Downloads `remotePath` from the workspace to `localPath`. */
export async function getFile(
  client: Client,
  remotePath: string,
  localPath: string,
  opts: TransferOptions = {},
): Promise<TransferResult> {
  const sftp = await openSftp(client);
  let tmp: string | undefined;
  try {
    const src = await remoteStat(sftp, remotePath);
    if (!src?.isFile()) throw new RuncodeError('not_found', `${remotePath} is not a file in the workspace`);
    const mode = src.mode & 0o7777;
    let dest = localPath;
    let st = localStat(dest);
    if (st?.isDirectory()) {
      dest = path.join(dest, path.posix.basename(remotePath));
      st = localStat(dest);
    } else if (/[\\/]$/.test(localPath)) {
      throw new RuncodeError('not_found', `the directory ${localPath} does not exist here`);
    }
    if (st && !opts.overwrite) throw exists(dest);
    if (!st && !localStat(path.dirname(dest))?.isDirectory()) {
      throw new RuncodeError('not_found', `the directory ${path.dirname(dest)} does not exist here`);
    }
    tmp = tempName(dest, path);
    const t = tmp;
    await call((cb) =>
      sftp.fastGet(
        remotePath,
        t,
        { step: (bytes, _n, total) => opts.onProgress?.({ bytes, total }) },
        (err) => cb(err, undefined),
      ),
    );
    // fastGet makes nothing for an empty file.
    if (!localStat(t)) fs.writeFileSync(t, '', { mode: 0o600 });
    fs.chmodSync(t, mode);
    if (opts.overwrite) fs.renameSync(t, dest);
    else {
      // link fails if the destination appeared meanwhile; rename would replace it.
      fs.linkSync(t, dest);
      fs.unlinkSync(t);
    }
    tmp = undefined;
    opts.onProgress?.({ bytes: src.size, total: src.size });
    return { path: dest, bytes: src.size, mode };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw exists(localPath);
    throw failed(`downloading ${remotePath}`, e);
  } finally {
    if (tmp) fs.rmSync(tmp, { force: true });
    sftp.end();
  }
}
