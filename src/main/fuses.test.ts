// Issue 11.4: the fuses afterPack sets, read back with @electron/fuses from a binary that carries
// a real fuse wire (Electron's own layout: sentinel, version, length, one byte per fuse; this
// machine cannot download an Electron binary, and the --dir smoke test's stub has no wire).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterEach, expect, it, vi } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { afterPack } from '../../scripts/afterPack.mjs';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
let tmp = '';
afterEach(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

it('afterPack turns cookie encryption on, RunAsNode and the Node escape hatches off, asar-only on', async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-fuses-'));
  const binary = path.join(tmp, 'runcode-tray');
  // Every fuse starts the opposite of what we want, so a fuse left alone shows.
  const wire = Buffer.concat([
    Buffer.from('some ELF bytes before '),
    Buffer.from(SENTINEL, 'latin1'),
    Buffer.from([1, 9]),
    Buffer.from('101100111', 'latin1'),
    Buffer.from(' and after'),
  ]);
  fs.writeFileSync(binary, wire, { mode: 0o755 });
  fs.mkdirSync(path.join(tmp, 'resources'));
  const electronVersion = JSON.parse(
    fs.readFileSync(path.resolve(import.meta.dirname, '../../node_modules/electron/package.json'), 'utf8'),
  ).version as string;
  vi.spyOn(console, 'log').mockImplementation(() => {});
  await afterPack({
    appOutDir: tmp,
    electronPlatformName: 'linux',
    arch: 1,
    packager: {
      appInfo: { productFilename: 'RunCode Tray' },
      executableName: 'runcode-tray',
      config: { electronVersion },
    },
  });
  const fuses = await getCurrentFuseWire(binary);
  expect(fuses[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
  expect(fuses[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
  expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
  expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
  expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
  expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
});
