// Atomic file replacement: a temp file in the same directory (so rename(2) cannot cross a
// filesystem), written and fsynced, renamed over the target, then the directory fsynced so the
// rename itself survives a power loss. Readers see the old bytes or the new ones, never a mix.
import crypto from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { RuncodeError } from '../errors.js';

export interface AtomicWriteOptions {
  /** Mode for a new file (default 0600). An existing target keeps its own mode... */
  mode?: number;
  /** ...unless this is false: then the file always gets `mode` (private keys). */
  keepMode?: boolean;
  /** Test hook: runs once the temp file is complete and synced, just before the rename. */
  beforeRename?: (tempPath: string) => void | Promise<void>;
  /**
   * Runs last before the rename: true goes ahead; false means the target changed since the
   * caller read it, so the temp file is dropped and the write fails with `target_changed` (the
   * caller redoes it); bytes mean "someone appended these": they are appended to the temp file
   * too, and the check runs again.
   */
  unchanged?: () => Promise<boolean | Uint8Array>;
}

const SPACE_OR_RO: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the file system is read-only',
};

/** ENOSPC, EDQUOT and EROFS as a RuncodeError naming the file; anything else unchanged. */
export function describeWriteError(e: unknown, file: string): unknown {
  const code = errCode(e);
  const what = code && SPACE_OR_RO[code];
  if (!what) return e;
  return new RuncodeError(
    code === 'EROFS' ? 'not_writable' : 'disk_full',
    `cannot write ${file}: ${what} (${code}); nothing was changed`,
    { cause: e },
  );
}

const TEMP_TAG = '.runcode-tmp-';

const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;

/** Follows symlinks, dangling ones included, to the path that holds the bytes. */
export async function resolveWriteTarget(file: string): Promise<string> {
  let cur = path.resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    // Resolve the directory for real, so a `..` in a relative link means what the kernel means.
    const dir = await fs.realpath(path.dirname(cur)).catch(() => path.dirname(cur));
    cur = path.join(dir, path.basename(cur));
    let st;
    try {
      st = await fs.lstat(cur);
    } catch (e) {
      if (errCode(e) === 'ENOENT') return cur;
      throw e;
    }
    if (!st.isSymbolicLink()) return cur;
    cur = path.resolve(dir, await fs.readlink(cur));
  }
  throw new RuncodeError('symlink_loop', `${file}: too many levels of symbolic links`);
}

/** The name prefix of our temp files for `target` (a real path). */
export function tempPrefixFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}${TEMP_TAG}`);
}

/**
 * Deletes temp files a crashed writer of `target` left behind. Call it only while holding the
 * target's lock: then no live writer owns one.
 */
export async function removeStaleTemps(target: string): Promise<number> {
  const prefix = path.basename(tempPrefixFor(target));
  const dir = path.dirname(target);
  let removed = 0;
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue;
    await fs.rm(path.join(dir, name), { force: true });
    removed++;
  }
  return removed;
}

async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await fs.open(dir, constants.O_RDONLY);
    await fh.sync();
  } catch (e) {
    // Windows cannot open or fsync a directory; there the rename is as durable as it gets.
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EACCES', 'EBADF'].includes(errCode(e) ?? '')) throw e;
  } finally {
    await fh?.close();
  }
}

/** Writes `data` to `file` atomically; returns the real path written (symlinks stay links). */
export async function atomicWrite(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<string> {
  const target = await resolveWriteTarget(file);
  let mode = options.mode ?? 0o600;
  let owner: { uid: number; gid: number } | undefined;
  try {
    const st = await fs.stat(target);
    if (options.keepMode !== false) mode = st.mode & 0o7777;
    owner = { uid: st.uid, gid: st.gid };
  } catch (e) {
    if (errCode(e) !== 'ENOENT') throw e;
  }
  const temp = tempPrefixFor(target) + crypto.randomBytes(6).toString('hex');
  // Born 0600: never readable by others, even for the instant before chmod.
  const fh = await fs
    .open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)
    .catch((e: unknown) => {
      throw describeWriteError(e, target);
    });
  try {
    try {
      await fh.writeFile(data);
      // Running as root (sudo) must not hand the user a root-owned ~/.ssh/config.
      if (owner && process.getuid?.() === 0) await fh.chown(owner.uid, owner.gid).catch(() => undefined);
      await fh.chmod(mode);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await options.beforeRename?.(temp);
    for (let round = 0; options.unchanged; round++) {
      const same = await options.unchanged();
      if (same === true) break;
      if (same === false || round > 1_000) {
        throw new RuncodeError(
          'target_changed',
          `${target} kept changing while RunCode wrote it; try again (nothing was changed)`,
        );
      }
      await fs.appendFile(temp, same);
    }
    await fs.rename(temp, target);
  } catch (e) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw describeWriteError(e, target);
  }
  await fsyncDir(path.dirname(target));
  return target;
}
