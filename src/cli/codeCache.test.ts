import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeCachePath, loadWithCodeCache } from './codeCache.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-codecache-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A CommonJS bundle as scripts/buildCli.mjs writes one: the build line, then the code. */
function bundle(build: string | undefined, body: string): string {
  const file = path.join(dir, 'b.cjs');
  fs.writeFileSync(
    file,
    `${build === undefined ? '// no build line' : `// runcode-build ${build}`}\n${body}`,
  );
  return file;
}

const answer = (b: ReturnType<typeof loadWithCodeCache>) => (b.exports.answer as () => number)();

describe('loadWithCodeCache', () => {
  it('runs the bundle as CommonJS (require, module, __dirname), then compiles from the cache it saved', () => {
    const file = bundle(
      'aaaaaaaaaaaaaaaa',
      `const path = require('node:path'); module.exports.answer = () => 42; exports.dir = path.basename(__dirname);`,
    );
    const first = loadWithCodeCache(file);
    expect(answer(first)).toBe(42);
    expect(first.exports.dir).toBe(path.basename(dir));
    expect(first.fromCache).toBe(false);
    expect(fs.existsSync(codeCachePath(file))).toBe(false);
    first.saveCache();
    const second = loadWithCodeCache(file);
    expect(second.fromCache).toBe(true);
    expect(answer(second)).toBe(42);
    // No temporary file left beside it.
    expect(fs.readdirSync(dir).sort()).toEqual(['b.cjs', 'b.cjs.v8cache']);
  });

  it('never uses a cache made for another build, even of the same length', () => {
    const file = bundle('aaaaaaaaaaaaaaaa', 'module.exports.answer = () => 1;');
    loadWithCodeCache(file).saveCache();
    // Same length, other code: V8 alone would not notice (it checks the length of the source).
    bundle('bbbbbbbbbbbbbbbb', 'module.exports.answer = () => 2;');
    const other = loadWithCodeCache(file);
    expect(other.fromCache).toBe(false);
    expect(answer(other)).toBe(2);
  });

  it('compiles from source when the cache is damaged (V8 rejects it) and replaces it', () => {
    const file = bundle('cccccccccccccccc', 'module.exports.answer = () => 3;');
    const key = fs.readFileSync(file, 'utf8').split('\n')[0]!.split(' ')[2];
    fs.writeFileSync(codeCachePath(file), `${key} ${process.version} ${process.arch}\nnot V8's data`);
    const b = loadWithCodeCache(file);
    expect(b.fromCache).toBe(false);
    expect(answer(b)).toBe(3);
    b.saveCache();
    expect(loadWithCodeCache(file).fromCache).toBe(true);
  });

  it('keeps no cache for a bundle without a build line, and a cache it cannot write costs nothing', () => {
    const file = bundle(undefined, 'module.exports.answer = () => 4;');
    const b = loadWithCodeCache(file);
    b.saveCache();
    expect(fs.existsSync(codeCachePath(file))).toBe(false);
    const ro = bundle('dddddddddddddddd', 'module.exports.answer = () => 5;');
    fs.mkdirSync(codeCachePath(ro)); // a directory where the file would go: the write fails
    const c = loadWithCodeCache(ro);
    expect(() => c.saveCache()).not.toThrow();
    expect(answer(c)).toBe(5);
    expect(fs.readdirSync(dir).sort()).toEqual(['b.cjs', 'b.cjs.v8cache']);
  });
});
