// `npm run bench`: every figure group, each in its own process (so timers, RSS and CPU are its
// own), gathered into one table with the machine it ran on. `npm run bench -- NAME...` runs the
// named groups; other flags (--bytes 256MiB, --rounds 3, ...) pass through to the groups, and
// BENCH_<FLAG> environment variables work too. A benchmark never fails on a number: the exit
// code is 0 unless a group crashed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Row } from './lib/report.js';
import { printRows } from './lib/report.js';

/** A group that runs longer than this is killed and reported as crashed. */
const GROUP_TIMEOUT_S = Number(process.env.BENCH_GROUP_TIMEOUT ?? 600);

export const GROUPS = [
  'cli',
  'mcp',
  'forward',
  'connect',
  'config',
  'refresher',
  'recovery',
  'popover',
  'idle',
  'memory',
] as const;

/** First line a tool prints about its version (`ssh -V` prints on stderr). */
function version(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) return `${cmd}: not found`;
  return `${r.stdout}${r.stderr}`.trim().split('\n')[0] ?? '?';
}

function machine(): string[] {
  const cpu = os.cpus();
  return [
    `CPU: ${cpu[0]?.model ?? '?'}, ${cpu.length} cores; ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM; ${os.type()} ${os.release()} ${os.arch()}`,
    `Node ${process.version}; ${version('ssh', ['-V'])}; ${version('chromium', ['--version'])}`,
    `load average at start: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  ];
}

function runGroup(
  name: string,
  passThrough: string[],
): Promise<{ rows?: Row[]; seconds: number; error?: string }> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-run-')), 'rows.json');
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'figures', `${name}.ts`), ...passThrough],
      // Its own process group, so a group that hangs goes with its gateway, server, ssh, browser.
      { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, BENCH_OUT: out }, detached: true },
    );
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, GROUP_TIMEOUT_S * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - t0) / 1000;
      let rows: Row[] | undefined;
      try {
        rows = JSON.parse(fs.readFileSync(out, 'utf8')) as Row[];
      } catch {
        rows = undefined;
      }
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
      if (code === 0 && rows) resolve({ rows, seconds });
      else
        resolve({
          seconds,
          error: timedOut ? `timed out after ${GROUP_TIMEOUT_S} s` : `exited ${signal ?? code}`,
        });
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const names: string[] = [];
  const passThrough: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--help' || a === '-h') {
      console.log(
        `usage: npm run bench [-- [GROUP...] [--flag value...]]\ngroups: ${GROUPS.join(', ')}\nsee bench/README.md`,
      );
      return;
    }
    if (a.startsWith('--')) {
      passThrough.push(a);
      if (args[i + 1] !== undefined && !args[i + 1]!.startsWith('--')) passThrough.push(args[++i]!);
    } else names.push(a);
  }
  const unknown = names.filter((n) => !(GROUPS as readonly string[]).includes(n));
  if (unknown.length) {
    console.error(`unknown figure group: ${unknown.join(', ')} (groups: ${GROUPS.join(', ')})`);
    process.exitCode = 2;
    return;
  }
  const chosen = names.length ? names : [...GROUPS];
  const head = machine();
  const started = new Date();
  const all: Row[] = [];
  const crashed: string[] = [];
  for (const name of chosen) {
    process.stderr.write(`\n== ${name}\n`);
    const r = await runGroup(name, passThrough);
    process.stderr.write(`== ${name}: ${r.seconds.toFixed(0)} s${r.error ? ` (${r.error})` : ''}\n`);
    if (r.rows) all.push(...r.rows);
    else {
      crashed.push(name);
      all.push({
        figure: `${name}: crashed (${r.error}; see its output above)`,
        ours: '-',
        target: '-',
        met: null,
      });
    }
  }
  const minutes = (Date.now() - started.getTime()) / 60_000;
  console.log(`\nRunCode Tray benchmarks, ${started.toISOString()} (${minutes.toFixed(1)} min)`);
  for (const line of head) console.log(line);
  console.log('ours/reference: median over rounds (min-max); ratio of the medians\n');
  printRows(all);
  const missed = all.filter((r) => r.met === false).map((r) => r.figure.trim());
  console.log(`\ntargets met: ${all.filter((r) => r.met === true).length}, missed: ${missed.length}`);
  if (crashed.length) {
    console.log(`crashed: ${crashed.join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
