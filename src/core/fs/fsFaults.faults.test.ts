// Faults of the disk itself: a lock that cannot be left empty, a full file system and a
// read-only one (a small tmpfs, where the test may mount one), each named in the error.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshConfigFile } from '../ssh/sshConfigFile.js';
import { atomicWrite } from './atomicWrite.js';
import { lockPathFor, withFileLock } from './fileLock.js';
import { testHostEntry } from '../testing/hostEntry.js';
import { refusalInfo } from '../testing/refusal.js';
import { makeTempDir } from '../testing/tempDir.js';

const entry = testHostEntry('api', '/state');

describe('locks that cannot wedge', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir('runcode-lockfault-');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('an empty lock a few seconds old (a kill between create and write) is broken at once', async () => {
    const target = path.join(dir, 'config');
    const lock = lockPathFor(target);
    fs.writeFileSync(lock, '');
    const old = new Date(Date.now() - 3_000);
    fs.utimesSync(lock, old, old);
    expect(await withFileLock(target, async () => 'ran', { timeoutMs: 1_000 })).toBe('ran');
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('a temp lock left by a writer killed before linking it is swept once stale', async () => {
    const target = path.join(dir, 'config3');
    const orphan = `${lockPathFor(target)}.deadbeef.tmp`;
    const fresh = `${lockPathFor(target)}.cafe.tmp`;
    fs.writeFileSync(orphan, '{"pid":1}');
    fs.writeFileSync(fresh, '{"pid":2}');
    const old = new Date(Date.now() - 120_000);
    fs.utimesSync(orphan, old, old);
    await withFileLock(target, async () => undefined);
    expect(fs.existsSync(orphan)).toBe(false);
    expect(fs.existsSync(fresh)).toBe(true); // maybe a live writer's: left alone
    fs.rmSync(fresh);
  });

  it('the lock is whole from its first instant, and no temp file outlives it', async () => {
    const target = path.join(dir, 'config2');
    const lock = lockPathFor(target);
    await withFileLock(target, async () => {
      const info = JSON.parse(fs.readFileSync(lock, 'utf8')) as { pid: number };
      expect(info.pid).toBe(process.pid);
      expect(fs.statSync(lock).mode & 0o777).toBe(0o600);
    });
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('config2'))).toEqual([]);
  });
});

// A 64 KiB tmpfs: only root may mount one (the test prints why it is skipped otherwise).
function mountTmpfs(at: string): string | undefined {
  if (process.platform !== 'linux') return 'not Linux: no tmpfs to fill';
  if (process.getuid?.() !== 0) return 'not root: cannot mount a small tmpfs';
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', at], {
    encoding: 'utf8',
  });
  return r.status === 0 ? undefined : `mount -t tmpfs failed: ${r.stderr.trim()}`;
}

describe('a full disk and a read-only one', () => {
  const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-tmpfs-'));
  const skip = mountTmpfs(mnt);
  afterAll(() => {
    if (!skip) spawnSync('umount', [mnt]);
    fs.rmSync(mnt, { recursive: true, force: true });
  });

  it('ENOSPC names the file, changes nothing, leaves no lock or temp behind', async (ctx) => {
    if (skip) ctx.skip(`full-disk test: ${skip}`);
    const cfg = path.join(mnt, 'config');
    fs.writeFileSync(cfg, 'Host mine\n  User me\n');
    // Fill the rest of the file system.
    const filler = fs.openSync(path.join(mnt, 'filler'), 'w');
    try {
      for (;;) fs.writeSync(filler, Buffer.alloc(4096, 1));
    } catch (e) {
      expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      fs.closeSync(filler);
    }
    const w = await refusalInfo(atomicWrite(cfg, 'x'.repeat(16_384)));
    expect(w.code).toBe('disk_full');
    expect(w.message).toContain(`cannot write ${cfg}: no space left on the device (ENOSPC)`);
    const l = await refusalInfo(withFileLock(cfg, async () => 'ran', { timeoutMs: 500 }));
    expect(l.code).toBe('disk_full');
    expect(l.message).toContain(lockPathFor(cfg));
    const f = new SshConfigFile({ path: cfg, stateDir: path.join(os.tmpdir(), 'runcode-unused') });
    const c = await refusalInfo(f.apply([entry]));
    expect(c.code).toBe('disk_full');
    expect(c.message).toMatch(/ENOSPC.*nothing was changed/);
    expect(fs.readFileSync(cfg, 'utf8')).toBe('Host mine\n  User me\n');
    expect(fs.readdirSync(mnt).sort()).toEqual(['config', 'filler']);
    fs.rmSync(path.join(mnt, 'filler'));
  });

  it('a read-only mount: preflight and the write both say so, nothing changes', async (ctx) => {
    if (skip) ctx.skip(`read-only-mount test: ${skip}`);
    const cfg = path.join(mnt, 'config');
    fs.writeFileSync(cfg, 'Host mine\n');
    expect(spawnSync('mount', ['-o', 'remount,ro', mnt]).status).toBe(0);
    try {
      const f = new SshConfigFile({ path: cfg, stateDir: path.join(os.tmpdir(), 'runcode-unused') });
      const pre = await refusalInfo(f.preflight());
      expect(pre.code).toBe('config_not_writable');
      expect(pre.message).toContain('read-only file system (EROFS)');
      const w = await refusalInfo(atomicWrite(cfg, 'x'));
      expect(w).toEqual({
        code: 'not_writable',
        message: expect.stringContaining(`${cfg}: the file system is read-only`),
      });
      expect(fs.readFileSync(cfg, 'utf8')).toBe('Host mine\n');
    } finally {
      spawnSync('mount', ['-o', 'remount,rw', mnt]);
    }
  });
});
