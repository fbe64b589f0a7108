// `npm start`: build, then launch the Electron app. Electron 45 fetches its binary on first use
// (`npx install-electron`); where that cannot happen, say so in one line and point at the CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');

function electronBinary() {
  const dir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(dir, 'path.txt');
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH)
    return path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, 'electron');
  if (!existsSync(pathFile)) return undefined;
  const bin = path.join(dir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(bin) ? bin : undefined;
}

let bin = electronBinary();
if (!bin) {
  console.error('Fetching the Electron binary (npx install-electron)...');
  const r = spawnSync(process.execPath, [require.resolve('electron/install.js')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  bin = r.status === 0 ? electronBinary() : undefined;
  if (!bin) {
    console.error(
      'runcode: the Electron binary could not be downloaded on this machine, so the tray app cannot start here; ' +
        'the same core runs as the command line: bin/runcode --help',
    );
    process.exit(1);
  }
}
const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(bin, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
