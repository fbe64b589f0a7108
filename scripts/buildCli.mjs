// Bundles the `runcode` CLI into one file, dist/runcode.mjs, which bin/runcode prefers over tsc's
// dist/cli/index.js. Why: resolving and loading ~250 small modules (ours, zod, ssh2) one by one
// was most of an agent's `runcode exec` (bench/figures/cli.ts); one file parses in a few ms, and
// each command's code still runs only when that command does (esbuild keeps the lazy imports of
// src/cli/index.ts lazy). Native code stays outside: the keychain binding, ssh2's optional
// cpu-features, and ssh2's crypto binding (loaded from node_modules, next to the repo's dist/).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// RUNCODE_BUNDLE_OUT: elsewhere (bench/figures/memory.ts bundles the current src/ for itself).
const outdir = process.env.RUNCODE_BUNDLE_OUT
  ? path.resolve(process.env.RUNCODE_BUNDLE_OUT)
  : path.join(root, 'dist', 'bundle');

/**
 * `require('./crypto/build/Release/sshcrypto.node')` inside ssh2 -> `ssh2/lib/.../sshcrypto.node`,
 * external: found in node_modules from any chunk, as the installed package's own file.
 */
const nativeAddons = {
  name: 'native-addons',
  setup(b) {
    b.onResolve({ filter: /\.node$/ }, (args) => {
      const full = path.resolve(args.resolveDir, args.path).split(path.sep).join('/');
      const at = full.lastIndexOf('/node_modules/');
      if (at === -1) return { errors: [{ text: `a native addon outside node_modules: ${full}` }] };
      return { path: full.slice(at + '/node_modules/'.length), external: true };
    });
  },
};

await build({
  entryPoints: { runcode: path.join(root, 'src', 'cli', 'index.ts') },
  outdir,
  // Chunks per command: `--help` parses a few KiB, `exec` what exec needs, not all 2.6 MB.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@napi-rs/keyring', 'cpu-features'],
  plugins: [nativeAddons],
  // CommonJS dependencies (ssh2) use require() and __dirname; an ES module has neither.
  banner: {
    js: [
      "import { createRequire as __rcRequire } from 'node:module';",
      "import { dirname as __rcDirname } from 'node:path';",
      "import { fileURLToPath as __rcPath } from 'node:url';",
      'const require = __rcRequire(import.meta.url);',
      'const __filename = __rcPath(import.meta.url);',
      'const __dirname = __rcDirname(__filename);',
    ].join(' '),
  },
  legalComments: 'none',
  logLevel: 'warning',
});
