// ESLint rule: the layer lines of DESIGN.md, checked on every import (as VS Code's
// code-layering rule does). A file's layer is its folder under src/.
import path from 'node:path';
import { builtinModules } from 'node:module';

const SRC = path.resolve(import.meta.dirname, '../../src');

/** Which layers each layer may import from (itself included). */
export const ALLOWED = {
  shared: ['shared'],
  core: ['shared', 'core'],
  server: ['shared', 'core', 'server'],
  cli: ['shared', 'core', 'server', 'cli'],
  main: ['shared', 'core', 'server', 'main'],
  preload: ['shared', 'preload'],
  renderer: ['shared', 'renderer'],
};
/** Layers where `electron` may be imported. */
const ELECTRON = new Set(['main', 'preload']);
/** Layers that run without Node (or must stay runtime-free): no Node built-ins, no packages. */
const NO_NODE = new Set(['shared', 'renderer', 'preload']);

export function layerOf(file) {
  const rel = path.relative(SRC, path.resolve(file));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const top = rel.split(path.sep)[0];
  return top in ALLOWED ? top : undefined;
}

/** Tests and test fixtures of core may use the real local server (src/server) in-process. */
const isTestCode = (file) => /\.test\.tsx?$/.test(file) || file.split(path.sep).includes('testing');
const TEST_EXTRA = { core: ['server'], cli: [], main: [] };

const isBuiltin = (s) => s.startsWith('node:') || builtinModules.includes(s.split('/')[0]);

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layer lines of DESIGN.md' },
    schema: [],
    messages: {
      layer: "'{{from}}' may not import from '{{to}}' (allowed: {{allowed}}); see DESIGN.md, Layers.",
      electron: "'{{from}}' may not import electron: only src/main and src/preload run in Electron.",
      node: "'{{from}}' may not import '{{spec}}': this layer runs without Node (or imports nothing at runtime).",
      sharedRuntime: "src/shared imports nothing at runtime: use `import type` for '{{spec}}'.",
    },
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    if (!from) return {};
    function check(node, spec, typeOnly) {
      if (typeof spec !== 'string') return;
      if (spec === 'electron' || spec.startsWith('electron/')) {
        if (!ELECTRON.has(from) && !typeOnly) context.report({ node, messageId: 'electron', data: { from } });
        return;
      }
      if (spec.startsWith('.')) {
        const to = layerOf(path.resolve(path.dirname(file), spec));
        const extra = isTestCode(file) ? (TEST_EXTRA[from] ?? []) : [];
        if (to && !ALLOWED[from].includes(to) && !extra.includes(to)) {
          context.report({ node, messageId: 'layer', data: { from, to, allowed: ALLOWED[from].join(', ') } });
        }
        return;
      }
      if (from === 'shared' && !typeOnly) context.report({ node, messageId: 'sharedRuntime', data: { spec } });
      else if (NO_NODE.has(from) && isBuiltin(spec)) context.report({ node, messageId: 'node', data: { from, spec } });
    }
    return {
      ImportDeclaration: (n) => check(n, n.source.value, n.importKind === 'type'),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value, n.exportKind === 'type'),
      ExportAllDeclaration: (n) => check(n, n.source.value, n.exportKind === 'type'),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value, false),
    };
  },
};

export default { rules: { layers: layersRule } };
