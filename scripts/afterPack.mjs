// electron-builder afterPack hook: flips Electron's fuses in the packaged binary, then reports the
// ABI of every native module shipped. Never silent: a stub binary (the packaging smoke test's
// electronDist) is reported as skipped, and a native module not built for Electron's ABI fails a
// real build (is only reported under RUNCODE_PACKAGING_SMOKE=1).
import fs from 'node:fs';
import path from 'node:path';
import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses';
import { electronAbi, findNodeFiles, nodeFileAbi } from './nativeModules.mjs';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'; // @electron/fuses' fuse-wire marker

export const FUSES = {
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  // Cookies (the session's, any OAuth page's) encrypted at rest with the OS keychain, as Chrome does.
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
};

const say = (line) => console.log(`  • runcode afterPack: ${line}`);

function layout(context) {
  const { appOutDir, electronPlatformName: platform, packager } = context;
  const name = packager.appInfo.productFilename;
  if (platform === 'darwin' || platform === 'mas') {
    const app = path.join(appOutDir, `${name}.app`);
    return {
      target: app,
      binary: path.join(app, 'Contents', 'Frameworks', 'Electron Framework.framework', 'Electron Framework'),
      resources: path.join(app, 'Contents', 'Resources'),
    };
  }
  const exe = platform === 'win32' ? `${name}.exe` : packager.executableName;
  const bin = path.join(appOutDir, exe);
  return { target: bin, binary: bin, resources: path.join(appOutDir, 'resources') };
}

/** True when the file holds Electron's fuse wire (a real Electron), false for a stub. */
function hasFuseWire(file) {
  if (!fs.existsSync(file)) return false;
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    let carry = '';
    for (let pos = 0; ;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, pos);
      if (n <= 0) return false;
      const text = carry + chunk.toString('latin1', 0, n);
      if (text.includes(SENTINEL)) return true;
      carry = text.slice(-SENTINEL.length);
      pos += n;
    }
  } finally {
    fs.closeSync(fd);
  }
}

export async function afterPack(context) {
  const smoke = process.env.RUNCODE_PACKAGING_SMOKE === '1';
  const where = layout(context);

  if (hasFuseWire(where.binary)) {
    await flipFuses(where.target, {
      ...FUSES,
      // Flipping fuses invalidates an ad-hoc signature; arm64 macOS refuses to run unsigned code.
      resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === 3,
    });
    say(
      `fuses set on ${path.basename(where.target)} (RunAsNode, NODE_OPTIONS, inspect off; cookie encryption, asar integrity, only-asar on)`,
    );
  } else {
    const msg = `fuses NOT set: ${where.binary} is a stub, not an Electron binary (no fuse wire in it)`;
    if (!smoke) throw new Error(`runcode afterPack: ${msg}`);
    say(`skipped ${msg}`);
  }

  const version = context.packager.config.electronVersion ?? context.packager.info?.framework?.version;
  const abi = electronAbi(version);
  const problems = [];
  for (const file of findNodeFiles(path.join(where.resources, 'app.asar.unpacked'))) {
    const rel = path.relative(where.resources, file);
    const got = nodeFileAbi(file);
    if (got.kind === 'napi') say(`${rel}: N-API (ABI-stable)`);
    else if (got.kind === 'abi' && got.abi === abi) say(`${rel}: built for Electron ${version} (ABI ${abi})`);
    else if (got.kind === 'abi')
      problems.push(
        `${rel} was built for ABI ${got.abi} (Node ${got.abi === process.versions.modules ? process.version : '?'}), not Electron ${version}'s ABI ${abi}`,
      );
    else problems.push(`${rel}: cannot tell its ABI (${got.why})`);
  }
  if (problems.length > 0) {
    const msg = `native modules not built for Electron: ${problems.join('; ')}. ssh2 would use its JavaScript crypto fallback.`;
    if (!smoke) throw new Error(`runcode afterPack: ${msg}`);
    say(`WARNING ${msg}`);
  }
}

export default afterPack;
