// Native Node modules and the ABI they were built for. ssh2's optional crypto binding (and its
// cpu-features) must match Electron's ABI in the packaged app, or ssh2 silently falls back to
// JavaScript crypto (about 60-70 % of the speed). Used by the beforeBuild and afterPack hooks.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** NODE_MODULE_VERSION of an Electron version (node-abi, which @electron/rebuild uses too). */
export function electronAbi(electronVersion) {
  try {
    return String(require('node-abi').getAbi(electronVersion, 'electron'));
  } catch (e) {
    return `unknown (${e instanceof Error ? e.message : String(e)})`;
  }
}

/** The sources we rebuild: each directory with a binding.gyp, and the .node it produces. */
export const NATIVE_SOURCES = [
  {
    name: 'ssh2 crypto',
    dir: 'node_modules/ssh2/lib/protocol/crypto',
    output: 'build/Release/sshcrypto.node',
  },
  { name: 'cpu-features', dir: 'node_modules/cpu-features', output: 'build/Release/cpufeatures.node' },
];

export function findNodeFiles(dir) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findNodeFiles(p));
    else if (e.name.endsWith('.node') && !p.includes(`${path.sep}obj.target${path.sep}`)) out.push(p);
  }
  return out;
}

/**
 * What a .node was built for: `{kind: 'napi'}` (ABI-stable, fine anywhere), `{kind: 'abi', abi}`
 * (from the exported node_register_module_vNNN symbol, or from loading it in this Node), or
 * `{kind: 'unknown', why}`.
 */
export function nodeFileAbi(file) {
  const bytes = fs.readFileSync(file).toString('latin1');
  if (bytes.includes('napi_register_module_v1')) return { kind: 'napi' };
  const m = /node_register_module_v(\d+)/.exec(bytes);
  if (m) return { kind: 'abi', abi: m[1] };
  // Older modules register through a struct: ask this Node whether it loads.
  try {
    execFileSync(process.execPath, ['-e', `process.dlopen({ exports: {} }, ${JSON.stringify(file)})`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 10_000,
    });
    return { kind: 'abi', abi: process.versions.modules };
  } catch (e) {
    const msg = String(e.stderr ?? e.message);
    const v = /NODE_MODULE_VERSION (\d+)\. This version of Node\.js requires/.exec(msg);
    if (v) return { kind: 'abi', abi: v[1] };
    return { kind: 'unknown', why: msg.split('\n').find((l) => l.trim()) ?? 'it does not load here' };
  }
}
