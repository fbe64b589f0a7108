#!/usr/bin/env node
// The first step of `npm test` (also `npm run preflight`): one table of the system tools the tests
// use, found (with version) or missing, and the one command that installs what is missing here.
// Exits 1 only when something nothing can run without is missing (Node >= 20.19, ssh,
// ssh-keygen, git), or, with --strict or RUNCODE_TEST_STRICT=1 (CI), when anything is missing.
// Otherwise the tests that need a missing tool skip with the reason, and the run says so at the end.
import { clearSkips } from './skipSummary.mjs';
import { TOOLS, findTool, installCommand, isStrict, toolVersion } from './systemTools.mjs';

// A new `npm test`: the skip list of the last one is gone.
if (process.env.npm_lifecycle_event === 'test') clearSkips();

const strict = process.argv.includes('--strict') || isStrict();

const [major, minor] = process.versions.node.split('.').map(Number);
const nodeOk = major > 20 || (major === 20 && minor >= 19);
const rows = [
  [
    'node',
    nodeOk ? `v${process.versions.node}` : `v${process.versions.node}: need >= 20.19`,
    'everything',
    nodeOk,
    true,
  ],
];
const missing = [];
for (const tool of TOOLS) {
  const where = findTool(tool.name);
  if (!where) missing.push(tool);
  const detail = where ? (toolVersion(tool.name, where) ?? where) : 'MISSING';
  rows.push([tool.name, detail, tool.for, !!where, tool.required]);
}

const w0 = Math.max(...rows.map((r) => r[0].length));
const w1 = Math.max(...rows.map((r) => r[1].length));
console.log(`preflight: system tools the tests use${strict ? ' (strict: anything missing fails)' : ''}`);
for (const [name, detail, what, found, required] of rows) {
  const mark = found ? 'ok  ' : required || strict ? 'FAIL' : 'skip';
  console.log(`  ${mark} ${name.padEnd(w0)}  ${detail.padEnd(w1)}  ${what}`);
}

const fatal = !nodeOk || missing.some((t) => t.required) || (strict && missing.length > 0);
if (missing.length) {
  const cmd = installCommand(missing.map((t) => t.name));
  console.log(`  install what is missing: ${cmd ?? 'no package known for this platform; install by hand'}`);
  if (!fatal)
    console.log(
      '  tests that need a missing tool are skipped, with the reason, listed at the end of the run',
    );
}
if (fatal) {
  console.error(
    strict && !missing.some((t) => t.required) && nodeOk
      ? 'preflight: strict mode (RUNCODE_TEST_STRICT=1): every tool above is required'
      : 'preflight: cannot run the tests without the tools marked FAIL',
  );
  process.exit(1);
}
