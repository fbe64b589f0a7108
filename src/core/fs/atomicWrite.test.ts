import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRuncodeError } from '../errors.js';
import { atomicWrite, removeStaleTemps, resolveWriteTarget, tempPrefixFor } from './atomicWrite.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-aw-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const mode = (p: string): number => fs.statSync(p).mode & 0o777;

describe('atomicWrite', () => {
  it('creates a new file with the given mode (0600 by default)', async () => {
    const a = path.join(dir, 'a');
    await atomicWrite(a, 'hello');
    expect(fs.readFileSync(a, 'utf8')).toBe('hello');
    expect(mode(a)).toBe(0o600);
    const b = path.join(dir, 'b');
    await atomicWrite(b, Buffer.from([0, 255]), { mode: 0o644 });
    expect([...fs.readFileSync(b)]).toEqual([0, 255]);
    expect(mode(b)).toBe(0o644);
    expect(fs.readdirSync(dir).sort()).toEqual(['a', 'b']);
  });

  it("keeps an existing file's mode unless told not to", async () => {
    const a = path.join(dir, 'a');
    fs.writeFileSync(a, 'old');
    fs.chmodSync(a, 0o640);
    await atomicWrite(a, 'new', { mode: 0o600 });
    expect(mode(a)).toBe(0o640);
    await atomicWrite(a, 'newer', { mode: 0o600, keepMode: false });
    expect(mode(a)).toBe(0o600);
    expect(fs.readFileSync(a, 'utf8')).toBe('newer');
  });

  it('follows a chain of relative symlinks and keeps the links', async () => {
    fs.mkdirSync(path.join(dir, 'real'));
    fs.mkdirSync(path.join(dir, 'links'));
    const real = path.join(dir, 'real', 'config');
    fs.writeFileSync(real, 'old');
    fs.chmodSync(real, 0o604);
    fs.symlinkSync('../real/config', path.join(dir, 'links', 'l1'));
    fs.symlinkSync('l1', path.join(dir, 'links', 'l2'));
    const written = await atomicWrite(path.join(dir, 'links', 'l2'), 'new');
    expect(written).toBe(fs.realpathSync(real));
    expect(fs.lstatSync(path.join(dir, 'links', 'l2')).isSymbolicLink()).toBe(true);
    expect(fs.lstatSync(path.join(dir, 'links', 'l1')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(real, 'utf8')).toBe('new');
    expect(mode(real)).toBe(0o604);
  });

  it('writes through a dangling symlink to its target', async () => {
    const link = path.join(dir, 'link');
    fs.symlinkSync('target', link);
    expect(await resolveWriteTarget(link)).toBe(path.join(fs.realpathSync(dir), 'target'));
    await atomicWrite(link, 'x');
    expect(fs.readFileSync(path.join(dir, 'target'), 'utf8')).toBe('x');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('refuses a symlink loop with a clear error', async () => {
    fs.symlinkSync('b', path.join(dir, 'a'));
    fs.symlinkSync('a', path.join(dir, 'b'));
    const err = await atomicWrite(path.join(dir, 'a'), 'x').catch((e: unknown) => e);
    expect(isRuncodeError(err) && err.code).toBe('symlink_loop');
  });

  it('leaves the original and no temp file when the write fails before the rename', async () => {
    const a = path.join(dir, 'a');
    fs.writeFileSync(a, 'original');
    const err = await atomicWrite(a, 'new', {
      beforeRename: () => {
        throw new Error('boom');
      },
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('boom');
    expect(fs.readFileSync(a, 'utf8')).toBe('original');
    expect(fs.readdirSync(dir)).toEqual(['a']);
  });

  it('a process killed between temp write and rename leaves the original intact', async () => {
    const a = path.join(dir, 'config');
    fs.writeFileSync(a, 'original bytes\n');
    const url = pathToFileURL(path.join(ROOT, 'src/core/fs/atomicWrite.ts')).href;
    const code = `
      const { atomicWrite } = await import(${JSON.stringify(url)});
      await atomicWrite(process.argv[1], 'NEW CONTENT', {
        beforeRename: () => { process.kill(process.pid, 'SIGKILL'); return new Promise(() => {}); },
      });
      console.log('not reached');`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, a], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.signal).toBe('SIGKILL');
    expect(r.stdout).not.toContain('not reached');
    expect(fs.readFileSync(a, 'utf8')).toBe('original bytes\n');
    // The crash happened exactly there: a complete temp file beside the target, never renamed.
    const temps = fs.readdirSync(dir).filter((n) => n !== 'config');
    expect(temps).toHaveLength(1);
    expect(path.join(dir, temps[0]!).startsWith(tempPrefixFor(a))).toBe(true);
    expect(fs.readFileSync(path.join(dir, temps[0]!), 'utf8')).toBe('NEW CONTENT');
    expect(await removeStaleTemps(a)).toBe(1);
    expect(fs.readdirSync(dir)).toEqual(['config']);
  });
});
