// An advisory lock shared by every writer of a file (the tray and the CLI are separate
// processes): `<file>.runcode.lock`, holding who owns it. It is born complete: written to a temp
// file, then hard-linked into place (link(2) fails if the lock exists), so a crash or a full disk
// never leaves an empty lock. A lock whose owner is gone, that is older than `staleMs`, or that
// is empty or torn (an older version, a file system without hard links) and older than a moment
// is broken, so a crash never wedges the app.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RuncodeError } from '../errors.js';
import { describeWriteError, resolveWriteTarget } from './atomicWrite.js';

export interface FileLockOptions {
  /** How long to wait for another holder (default 10 s). */
  timeoutMs?: number;
  /** A lock older than this is presumed abandoned (default 30 s). */
  staleMs?: number;
}

interface LockInfo {
  pid: number;
  host: string;
  time: number;
  nonce: string;
}

const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function lockPathFor(realTarget: string): string {
  return `${realTarget}.runcode.lock`;
}

async function readLock(
  lock: string,
): Promise<{ raw: string; info?: LockInfo; mtimeMs: number } | undefined> {
  try {
    const [raw, st] = await Promise.all([fs.readFile(lock, 'utf8'), fs.stat(lock)]);
    let info: LockInfo | undefined;
    try {
      const v = JSON.parse(raw) as LockInfo;
      if (Number.isInteger(v.pid) && typeof v.time === 'number' && typeof v.nonce === 'string') info = v;
    } catch {
      // Empty or torn: its creator died (or is still writing); judge by the file's age alone.
    }
    return { raw, info, mtimeMs: st.mtimeMs };
  } catch (e) {
    if (errCode(e) === 'ENOENT') return undefined;
    throw e;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errCode(e) === 'EPERM';
  }
}

/** An unreadable lock older than this is a crash's leftover, not a writer mid-write. */
const EMPTY_STALE_MS = 2_000;

function isStale(l: { info?: LockInfo; mtimeMs: number }, staleMs: number): boolean {
  if (!l.info && Math.abs(Date.now() - l.mtimeMs) > EMPTY_STALE_MS) return true;
  const age = Date.now() - (l.info?.time ?? l.mtimeMs);
  if (age > staleMs || age < -staleMs) return true; // a clock jump backwards is just as suspect
  return !!l.info && l.info.host === os.hostname() && !pidAlive(l.info.pid);
}

/**
 * Removes `lock` if it is stale. Breakers serialise on `<lock>.break` and re-check the bytes,
 * so two breakers cannot delete a lock a third process has just taken.
 */
async function breakIfStale(lock: string, staleMs: number): Promise<boolean> {
  const seen = await readLock(lock);
  if (!seen) return true;
  if (!isStale(seen, staleMs)) return false;
  const breaker = `${lock}.break`;
  try {
    await (await fs.open(breaker, 'wx', 0o600)).close();
  } catch (e) {
    if (errCode(e) !== 'EEXIST') throw e;
    const st = await fs.stat(breaker).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > 5_000) await fs.rm(breaker, { force: true });
    return false;
  }
  try {
    const again = await readLock(lock);
    if (again && again.raw === seen.raw) await fs.rm(lock, { force: true });
  } finally {
    await fs.rm(breaker, { force: true });
  }
  return true;
}

const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

function cannotCreate(lock: string, e: unknown): unknown {
  const code = errCode(e);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new RuncodeError('not_writable', `cannot create the lock file ${lock} (${code})`, { cause: e });
  }
  return describeWriteError(e, lock);
}

/** Creates `lock` holding `content`, whole or not at all; false when someone else holds it. */
async function tryCreate(lock: string, content: string, nonce: string): Promise<boolean> {
  const temp = `${lock}.${nonce}.tmp`;
  try {
    await fs.writeFile(temp, content, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw cannotCreate(lock, e);
  }
  try {
    await fs.link(temp, lock);
    return true;
  } catch (e) {
    if (errCode(e) === 'EEXIST') return false;
    if (!LINK_UNSUPPORTED.has(errCode(e) ?? '')) throw cannotCreate(lock, e);
  } finally {
    await fs.rm(temp, { force: true }).catch(() => undefined);
  }
  // No hard links here (some network and FAT file systems): O_EXCL, and never leave it empty.
  let fh;
  try {
    fh = await fs.open(lock, 'wx', 0o600);
  } catch (e) {
    if (errCode(e) === 'EEXIST') return false;
    throw cannotCreate(lock, e);
  }
  try {
    await fh.writeFile(content);
    await fh.close();
    return true;
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fs.rm(lock, { force: true });
    throw cannotCreate(lock, e);
  }
}

/** Removes lock temps a writer killed between writing and linking left behind (we hold the lock). */
async function sweepTemps(lock: string, staleMs: number): Promise<void> {
  const dir = path.dirname(lock);
  const prefix = `${path.basename(lock)}.`;
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const p = path.join(dir, name);
    const st = await fs.stat(p).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > staleMs) await fs.rm(p, { force: true });
  }
}

/** Runs `fn` holding the lock for `file` (symlinks resolved, so every path to it shares one lock). */
export async function withFileLock<T>(
  file: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const { timeoutMs = 10_000, staleMs = 30_000 } = options;
  const lock = lockPathFor(await resolveWriteTarget(file));
  const me: LockInfo = { pid: process.pid, host: os.hostname(), time: Date.now(), nonce: '' };
  me.nonce = crypto.randomBytes(12).toString('hex');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await tryCreate(lock, JSON.stringify({ ...me, time: Date.now() }), me.nonce)) break;
    if (await breakIfStale(lock, staleMs)) continue;
    if (Date.now() >= deadline) {
      const holder = (await readLock(lock))?.info;
      throw new RuncodeError(
        'config_locked',
        `another RunCode process${holder ? ` (pid ${holder.pid})` : ''} holds the lock ${lock}; ` +
          `try again, or delete that file if no RunCode process is running`,
      );
    }
    await sleep(5 + Math.random() * 25);
  }
  await sweepTemps(lock, staleMs);
  try {
    return await fn();
  } finally {
    // Only our own lock: if we overran staleMs and someone broke it, theirs is not ours to drop.
    const now = await readLock(lock).catch(() => undefined);
    if (now?.info?.nonce === me.nonce) await fs.rm(lock, { force: true });
  }
}
