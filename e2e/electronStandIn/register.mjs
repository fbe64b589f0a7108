// Module hooks for the electron stand-in (electron.mjs): `import 'electron'` resolves to the
// stand-in, and every module of the built main bundle imported under a `?standInRun=N` entry is
// loaded afresh for that run (the same query is carried to its relative imports), so each launch
// of out/main/index.js gets its own app, windows and state. Packages stay shared.
let run;

export async function resolve(specifier, context, next) {
  const parentRun = context.parentURL && /[?&]standInRun=(\d+)/.exec(context.parentURL)?.[1];
  if (parentRun) run = parentRun;
  if (specifier === 'electron') {
    const url = new URL('./electron.mjs', import.meta.url);
    if (run) url.searchParams.set('standInRun', run);
    return { url: url.href, shortCircuit: true };
  }
  const resolved = await next(specifier, context);
  if (
    parentRun &&
    (specifier.startsWith('./') || specifier.startsWith('../')) &&
    resolved.url.startsWith('file:')
  ) {
    const url = new URL(resolved.url);
    url.searchParams.set('standInRun', parentRun);
    return { ...resolved, url: url.href };
  }
  return resolved;
}
