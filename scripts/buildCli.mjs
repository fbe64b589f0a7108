// Bundles the `runcode` CLI into one file, dist/runcode.mjs, which bin/runcode prefers over tsc's
// dist/cli/index.js. Why: resolving and loading ~250 small modules (ours, zod, ssh2) one by one
// was most of an agent's `runcode exec` (bench/figures/cli.ts); one file parses in a few ms, and
// each command's code still runs only when that command does (esbuild keeps the lazy imports of
// src/cli/index.ts lazy). Native code stays outside: the keychain binding, ssh2's optional
// cpu-features, and ssh2's crypto binding (loaded from node_modules, next to the repo's dist/).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
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

// What every ES module bundle here shares: one file per entry and a chunk per lazy import.
const esm = {
  // Chunks per command: `--help` parses a few KiB, `exec` what exec needs, not all 2.6 MB.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@napi-rs/keyring', 'cpu-features'],
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
};

/**
 * `runcode agent` is its own bundle (agent/agentCommand.mjs), which the CLI's entry imports in
 * place of the agent command's module. Why: chunks shared between commands hold what any of them
 * uses, so the agent loaded all of zod's core and locales that `runcode mcp` needs, and a process
 * that stays up for hours keeps what it parsed (bench/figures/memory.ts: ~3 MB of its peak RSS).
 * Built alone, it holds only what the agent's own imports reach.
 */
const agentApart = {
  name: 'agent-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/commands\/agentCommand\.js$/ }, (args) =>
      args.importer === path.join(root, 'src', 'cli', 'index.ts')
        ? { path: './agent/agentCommand.mjs', external: true }
        : undefined,
    );
  },
};

await build({
  ...esm,
  entryPoints: {
    runcode: path.join(root, 'src', 'cli', 'index.ts'),
    // Also an entry of its own: bin/runcode hands `exec` to it when exec.cjs's fast path did not run.
    execCommand: path.join(root, 'src', 'cli', 'commands', 'execCommand.ts'),
  },
  outdir,
  plugins: [nativeAddons, agentApart],
});
await build({
  ...esm,
  entryPoints: { agentCommand: path.join(root, 'src', 'cli', 'commands', 'agentCommand.ts') },
  outdir: path.join(outdir, 'agent'),
  plugins: [nativeAddons],
});

// `runcode exec`'s fast path alone (src/cli/execFastPath.ts) as one CommonJS file, which bin/runcode
// compiles with V8's code cache (src/cli/codeCache.ts): Node 20 has no compile cache for ES
// modules, and compiling ssh2 from source was a large share of every agent's call. The first line
// names this exact build, so a cache is never used with other code than it was made from.
const fast = await build({
  entryPoints: [path.join(root, 'src', 'cli', 'execFastPath.ts')],
  write: false,
  outfile: path.join(outdir, 'exec.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['@napi-rs/keyring', 'cpu-features'],
  plugins: [
    nativeAddons,
    {
      // The fast path uses ssh2's Client alone (src/core/ssh/sshConnection.ts: `new ssh2.Client()`):
      // taking it from ssh2's client.js skips its index, which loads the server, key generation and
      // its HTTP agents (node:http, node:https, node:tls), ~3 ms of CPU on every call.
      name: 'ssh2-client-only',
      setup(b) {
        b.onResolve({ filter: /^ssh2$/ }, () => ({ path: 'ssh2', namespace: 'ssh2-client-only' }));
        b.onLoad({ filter: /.*/, namespace: 'ssh2-client-only' }, () => ({
          contents: "module.exports = { Client: require('ssh2/lib/client.js') };",
          resolveDir: root,
          loader: 'js',
        }));
      },
    },
    {
      // vm.Script code has no loader for import(): the fast path must not need one.
      name: 'no-dynamic-import',
      setup(b) {
        b.onResolve({ filter: /.*/ }, (args) =>
          args.kind === 'dynamic-import'
            ? {
                errors: [
                  { text: `exec.cjs must not import() anything (${args.path} from ${args.importer})` },
                ],
              }
            : undefined,
        );
      },
    },
  ],
  legalComments: 'none',
  logLevel: 'warning',
});
const code = fast.outputFiles[0].text;
// Its loader, CommonJS too: bin/runcode (CommonJS) requires it without Node's ES module loader.
await build({
  entryPoints: [path.join(root, 'src', 'cli', 'codeCache.ts')],
  outfile: path.join(outdir, 'codeCache.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});
const id = createHash('sha256').update(code).digest('hex').slice(0, 32);
fs.writeFileSync(path.join(outdir, 'exec.cjs'), `// runcode-build ${id}\n${code}`);
