// No import cycles under src/ (issue 17): a cycle means two files own each other's job, and ESM
// can hand one of them a module whose exports are not yet initialised. Type-only imports count too:
// they still tie the two files' designs together.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../src');

/** Every `import/export ... from './x.js'` (type imports too), with its specifier. */
const FROM = /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/gm;
/** `import './x.js'` (side effects only). */
const BARE = /^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm;

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The file a relative specifier names: `./x.js` is `./x.ts` or `./x.tsx` in the source tree. */
function resolveSpecifier(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec).replace(/\.js$/, '');
  return [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((p) => fs.existsSync(p));
}

/** File -> the files it imports (relative imports only; packages cannot import us back). */
function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of tsFiles(root)) {
    const text = fs.readFileSync(file, 'utf8');
    const specs = [...text.matchAll(FROM), ...text.matchAll(BARE)].map((m) => m[1]);
    const deps = specs.map((s) => resolveSpecifier(file, s)).filter((p): p is string => p !== undefined);
    graph.set(file, [...new Set(deps)]);
  }
  return graph;
}

/** Every cycle's files, one per strongly connected component with more than one file or a self-import. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's algorithm, iterative so a deep import chain cannot overflow the stack.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; i: number }[] = [{ node: start, i: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const deps = graph.get(top.node) ?? [];
      if (top.i < deps.length) {
        const dep = deps[top.i++];
        if (!index.has(dep)) {
          index.set(dep, next);
          low.set(dep, next++);
          stack.push(dep);
          onStack.add(dep);
          work.push({ node: dep, i: 0 });
        } else if (onStack.has(dep)) {
          low.set(top.node, Math.min(low.get(top.node)!, index.get(dep)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const scc: string[] = [];
        let n: string;
        do {
          n = stack.pop()!;
          onStack.delete(n);
          scc.push(n);
        } while (n !== top.node);
        if (scc.length > 1 || (graph.get(top.node) ?? []).includes(top.node)) cycles.push(scc.sort());
      }
    }
  }
  return cycles;
}

describe('import graph', () => {
  it('finds a cycle when there is one (so the check below can fail)', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
    ]);
    expect(findCycles(g)).toEqual([['a', 'b', 'c'], ['e']]);
  });

  it('reads type imports, re-exports and multi-line imports as edges', () => {
    const g = importGraph(SRC);
    const deps = (f: string) => (g.get(path.join(SRC, f)) ?? []).map((p) => path.relative(SRC, p));
    expect(g.size).toBeGreaterThan(100);
    // A file known to import a type from shared: if the parser missed type imports this would be empty.
    expect(deps('core/tray/views.ts')).toContain(path.join('shared', 'contract.ts'));
  });

  it('has no import cycle under src/', () => {
    const cycles = findCycles(importGraph(SRC)).map((c) => c.map((p) => path.relative(SRC, p)).join(' <-> '));
    expect(cycles, `import cycles (move the shared part to its own file):\n${cycles.join('\n')}`).toEqual([]);
  });
});
