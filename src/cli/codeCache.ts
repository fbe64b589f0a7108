// Loads a CommonJS bundle with V8's code cache, for Nodes without module.enableCompileCache (Node
// 20): compiling ssh2 and our fast path from source was a large share of each `runcode exec`
// (bench/figures/cli.ts). The approach of the v8-compile-cache package, for one file: the source
// compiled through vm.Script with the cached data of an earlier run, and when there was none (or
// V8 rejected it) the data written beside the bundle after a run that took the usual way.
//
// The cache is only ever used for the exact bundle it was made from: the bundle's first line is
// `// runcode-build <hash of its content>` (scripts/buildCli.mjs), and the cache file starts with
// a line naming that build, the Node version and the architecture; anything else is ignored (V8
// itself checks its version and flags and says so through cachedDataRejected). A cache that
// cannot be read or written only costs speed. It lives beside the bundle, so whoever may write
// the cache may write the code it caches.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

const BUILD_LINE = /^\/\/ runcode-build ([0-9a-f]{16,128})$/;

/** The cache file of `bundle`. */
export function codeCachePath(bundle: string): string {
  return `${bundle}.v8cache`;
}

/** What a cache must be made for to be used with this bundle, in this process. */
function cacheKey(source: string): string | undefined {
  const build = BUILD_LINE.exec(source.slice(0, source.indexOf('\n')))?.[1];
  return build === undefined ? undefined : `${build} ${process.version} ${process.arch}`;
}

/** The cached data when the cache file is for `key`, else undefined. */
function readCache(file: string, key: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  const nl = bytes.indexOf(10);
  if (nl === -1 || bytes.toString('latin1', 0, nl) !== key) return undefined;
  return bytes.subarray(nl + 1);
}

/** Writes the cache atomically (a whole file or none); any failure is only a lost speed-up. */
function writeCache(file: string, key: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${key}\n`, 'latin1'), data]), { mode: 0o644 });
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing more to do
    }
  }
}

export interface LoadedBundle {
  exports: Record<string, unknown>;
  /** True when V8 compiled from the cache (false on a first run, a rejected or a foreign cache). */
  fromCache: boolean;
  /** Writes the cache from what this process compiled so far (nothing for a bundle without a build line). */
  saveCache(): void;
}

/**
 * Runs the CommonJS `bundle` (as `require` would) and returns its exports, compiled with the cache
 * when there is a matching one. Without one, the caller saves it (saveCache) after a run that
 * compiled what the next runs need: the cache holds the functions compiled so far, and one made
 * after a run that took another way would leave the usual way to be compiled on every run.
 */
export function loadWithCodeCache(bundle: string): LoadedBundle {
  const source = fs.readFileSync(bundle, 'utf8');
  const key = cacheKey(source);
  const cacheFile = codeCachePath(bundle);
  const cachedData = key === undefined ? undefined : readCache(cacheFile, key);
  // The wrapper CommonJS gives a module, on the bundle's first line so line numbers hold.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
  });
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  const saveCache = (): void => {
    if (key !== undefined) writeCache(cacheFile, key, script.createCachedData());
  };
  return { exports: module.exports, fromCache, saveCache };
}
