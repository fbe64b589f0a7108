import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRuncodeError } from '../errors.js';
import { lockPathFor, withFileLock } from './fileLock.js';
import { makeTempDir } from '../testing/tempDir.js';

let dir: string;
let target: string;
let lock: string;
beforeEach(() => {
  dir = makeTempDir('runcode-lock-');
  target = path.join(dir, 'config');
  lock = lockPathFor(target);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const writeLock = (info: object): void => fs.writeFileSync(lock, JSON.stringify(info));
const deadPid = (): number => {
  const r = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(r.stdout.trim());
};

describe('withFileLock', () => {
  it('puts the lock beside the target as <name>.runcode.lock', () => {
    expect(lock).toBe(path.join(dir, 'config.runcode.lock'));
  });

  it('serialises read-modify-write sections (no lost updates)', async () => {
    fs.writeFileSync(target, '0');
    const bump = (): Promise<void> =>
      withFileLock(target, async () => {
        const n = Number(fs.readFileSync(target, 'utf8'));
        await sleep(1);
        fs.writeFileSync(target, String(n + 1));
      });
    await Promise.all(Array.from({ length: 25 }, bump));
    expect(fs.readFileSync(target, 'utf8')).toBe('25');
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('holds pid and time in the lock while held, and releases it after a throw', async () => {
    const before = Date.now();
    const err = await withFileLock(target, async () => {
      const info = JSON.parse(fs.readFileSync(lock, 'utf8')) as { pid: number; time: number };
      expect(info.pid).toBe(process.pid);
      // Taken during this call: no later than now, no earlier than the call.
      expect(info.time).toBeGreaterThanOrEqual(before);
      expect(info.time).toBeLessThanOrEqual(Date.now());
      expect(fs.statSync(lock).mode & 0o777).toBe(0o600);
      throw new Error('inside');
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('inside');
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('times out on a live lock with config_locked naming the lock file', async () => {
    writeLock({ pid: process.pid, host: os.hostname(), time: Date.now(), nonce: 'other' });
    const t0 = Date.now();
    const err = await withFileLock(target, async () => 'ran', { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(isRuncodeError(err) && err.code).toBe('config_locked');
    expect((err as Error).message).toContain(lock);
    expect((err as Error).message).toContain(`pid ${process.pid}`);
    expect(JSON.parse(fs.readFileSync(lock, 'utf8')).nonce).toBe('other'); // not ours to remove
  });

  it('waits for a holder that releases', async () => {
    writeLock({ pid: process.pid, host: os.hostname(), time: Date.now(), nonce: 'other' });
    setTimeout(() => fs.rmSync(lock), 100);
    expect(await withFileLock(target, async () => 'ran', { timeoutMs: 5_000 })).toBe('ran');
  });

  it('breaks a lock whose owner process is gone', async () => {
    writeLock({ pid: deadPid(), host: os.hostname(), time: Date.now(), nonce: 'dead' });
    expect(await withFileLock(target, async () => 'ran', { timeoutMs: 200 })).toBe('ran');
  });

  it('breaks a lock older than staleMs even if its pid is alive', async () => {
    writeLock({ pid: process.pid, host: os.hostname(), time: Date.now() - 31_000, nonce: 'old' });
    expect(await withFileLock(target, async () => 'ran', { timeoutMs: 200 })).toBe('ran');
  });

  it('respects a fresh empty lock (being written) and breaks an old one', async () => {
    fs.writeFileSync(lock, '');
    const err = await withFileLock(target, async () => 'ran', { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(isRuncodeError(err) && err.code).toBe('config_locked');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    expect(await withFileLock(target, async () => 'ran', { timeoutMs: 200 })).toBe('ran');
  });

  it('shares one lock between a symlink and its target', async () => {
    fs.writeFileSync(target, '');
    const link = path.join(dir, 'link');
    fs.symlinkSync(target, link);
    await withFileLock(link, async () => {
      expect(fs.existsSync(lock)).toBe(true);
    });
  });
});
