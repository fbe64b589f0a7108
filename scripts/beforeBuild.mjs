// electron-builder beforeBuild hook: builds ssh2's crypto binding for Electron's ABI. electron-
// builder's npmRebuild (@electron/rebuild) only finds a binding.gyp at a package's root, so it
// skips ssh2's (lib/protocol/crypto); it does rebuild cpu-features. (With an npm `nodedir`
// configured, as on the CI machines here, it compiles against the local Node headers and labels
// the result Electron: a Node-ABI build, silently. afterPack catches that: it checks the ABI of
// every .node it ships.) Here node-gyp gets Electron's headers explicitly; where they cannot be
// fetched (no internet), a real build fails, and the packaging smoke test
// (RUNCODE_PACKAGING_SMOKE=1) says so and goes on.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { NATIVE_SOURCES, electronAbi } from './nativeModules.mjs';

const require = createRequire(import.meta.url);
const HEADERS = 'https://electronjs.org/headers';

async function headersReachable(version) {
  try {
    const r = await fetch(`${HEADERS}/v${version}/SHASUMS256.txt`, {
      method: 'HEAD',
      signal: AbortSignal.timeout(5000),
    });
    return r.ok ? undefined : `HTTP ${r.status}`;
  } catch (e) {
    return e?.cause?.code ?? e?.message ?? String(e);
  }
}

export { headersReachable };

export async function beforeBuild(context) {
  const { appDir, electronVersion, arch } = context;
  const smoke = process.env.RUNCODE_PACKAGING_SMOKE === '1';
  const abi = electronAbi(electronVersion);
  const unreachable = await headersReachable(electronVersion);
  if (unreachable) {
    const msg =
      `native modules NOT rebuilt for Electron ${electronVersion} (ABI ${abi}): Electron's headers cannot be ` +
      `fetched from ${HEADERS} here (${unreachable}). The packaged app's ssh2 would fall back to JavaScript crypto.`;
    if (!smoke) throw new Error(`runcode beforeBuild: ${msg}`);
    console.log(`  • runcode beforeBuild: ${msg}`);
    return true;
  }
  const gyp = require.resolve('node-gyp/bin/node-gyp.js');
  const env = { ...process.env };
  // A configured nodedir (npm config or env) would win over --dist-url: drop it for this build.
  for (const k of Object.keys(env)) if (/^npm_config_nodedir$/i.test(k)) delete env[k];
  for (const m of NATIVE_SOURCES.filter((n) => n.name === 'ssh2 crypto')) {
    const dir = path.join(appDir, m.dir);
    if (!fs.existsSync(path.join(dir, 'binding.gyp'))) continue;
    const archName =
      typeof arch === 'string' ? arch : ({ 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64' }[arch] ?? 'x64');
    const r = spawnSync(
      process.execPath,
      [gyp, 'rebuild', `--target=${electronVersion}`, `--arch=${archName}`, `--dist-url=${HEADERS}`],
      { cwd: dir, env, stdio: 'inherit' },
    );
    if (r.status !== 0)
      throw new Error(`runcode beforeBuild: rebuilding ${m.name} for Electron ${electronVersion} failed`);
    console.log(`  • runcode beforeBuild: ${m.name} built for Electron ${electronVersion} (ABI ${abi})`);
  }
  // true: electron-builder goes on to collect node_modules and rebuild the rest (false would make
  // it skip node_modules altogether).
  return true;
}

export default beforeBuild;
