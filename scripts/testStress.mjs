#!/usr/bin/env node
// `npm run test:stress [-- --runs N] [-- --no-build]`: the whole suite (Vitest, then Playwright)
// with a busy loop on every core beside it, as on a loaded 2-core CI machine. A test that
// asserts on elapsed time, sleeps instead of waiting for an event, or has no room in its timeout
// fails here. The hogs are stopped however the run ends; the report lists every failed test of
// every run. Exits 1 if any run failed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 1;
if (!Number.isInteger(runs) || runs < 1) {
  console.error('test:stress: --runs takes a whole number >= 1');
  process.exit(2);
}
const cores = os.availableParallelism();
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** Runs a command in the repo with inherited output; resolves its exit code. */
function run(cmd, cmdArgs, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', () => resolve(127));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

const hogs = [];
function startHogs() {
  for (let i = 0; i < cores; i++) {
    hogs.push(spawn(process.execPath, ['-e', 'for(;;);'], { stdio: 'ignore' }));
  }
}
function stopHogs() {
  for (const hog of hogs.splice(0)) hog.kill('SIGKILL');
}
process.on('exit', stopHogs);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    stopHogs();
    process.exit(130);
  });
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Failed test names from Vitest's JSON report. */
function vitestFailures(report) {
  if (!report) return ['(no report: Vitest did not finish)'];
  const out = [];
  for (const file of report.testResults ?? []) {
    const rel = path.relative(ROOT, file.name);
    const failed = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failed) out.push(`${rel} > ${t.fullName}`);
    if (!failed.length && file.status === 'failed')
      out.push(`${rel}: ${String(file.message).split('\n')[0]}`);
  }
  return out;
}

/** Failed spec names from Playwright's JSON report. */
function playwrightFailures(report) {
  if (!report) return ['(no report: Playwright did not finish)'];
  const out = [];
  const walk = (suite, trail) => {
    for (const spec of suite.specs ?? []) {
      if (!spec.ok) out.push(`${spec.file} > ${[...trail, spec.title].join(' > ')}`);
    }
    for (const child of suite.suites ?? [])
      walk(child, suite.title && !suite.title.endsWith('.ts') ? [...trail, suite.title] : trail);
  };
  for (const suite of report.suites ?? []) walk(suite, []);
  for (const err of report.errors ?? []) out.push(`error: ${String(err.message).split('\n')[0]}`);
  return out;
}

if (!args.includes('--no-build')) {
  console.log('test:stress: building first (without load)');
  if ((await run('npm', ['run', 'build'])) !== 0) process.exit(1);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'rc-stress-'));
const results = [];
try {
  for (let i = 1; i <= runs; i++) {
    console.log(`\ntest:stress: run ${i} of ${runs}, ${cores} busy loops on ${cores} cores`);
    startHogs();
    const started = Date.now();
    const vJson = path.join(tmp, `vitest-${i}.json`);
    const pJson = path.join(tmp, `playwright-${i}.json`);
    let vCode;
    let pCode;
    try {
      vCode = await run(npx, [
        'vitest',
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${vJson}`,
      ]);
      pCode = await run(npx, ['playwright', 'test', '--reporter=list,json'], {
        PLAYWRIGHT_JSON_OUTPUT_NAME: pJson,
      });
    } finally {
      stopHogs();
    }
    const failures = [
      ...(vCode === 0 ? [] : vitestFailures(readJson(vJson)).map((f) => `vitest: ${f}`)),
      ...(pCode === 0 ? [] : playwrightFailures(readJson(pJson)).map((f) => `playwright: ${f}`)),
    ];
    if ((vCode !== 0 || pCode !== 0) && !failures.length)
      failures.push(`exit codes: vitest ${vCode}, playwright ${pCode}`);
    results.push({ i, minutes: (Date.now() - started) / 60_000, failures });
  }
} finally {
  stopHogs();
  rmSync(tmp, { recursive: true, force: true });
}

console.log(`\ntest:stress report (${cores} busy loops beside the suite):`);
for (const r of results) {
  console.log(
    `  run ${r.i}: ${r.failures.length ? `FAILED (${r.failures.length})` : 'passed'} in ${r.minutes.toFixed(1)} min`,
  );
  for (const f of r.failures) console.log(`      ${f}`);
}
const failed = results.filter((r) => r.failures.length).length;
console.log(`  ${runs - failed} of ${runs} runs passed`);
process.exit(failed ? 1 : 0);
