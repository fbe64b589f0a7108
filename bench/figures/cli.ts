// The agent's path: what an agent pays per `runcode` call. `runcode --help` against `node -e 0`
// (the floor any Node program pays to start), and `runcode exec NAME -- true` on a connected
// workspace against that floor plus `ssh -F <config> runcode.NAME true` (OpenSSH doing the same
// exec through the same gateway with the config we wrote). Each round runs every command once,
// the order rotating, as a user's shell runs `bin/runcode` (the bundle when built, else dist/).
// On a loaded machine wall times scatter widely, so each round also takes the CPU time (user +
// sys) of exec and of the reference's two processes, each run under bash's `times`.
//
//   npm run bench -- cli [--cli-rounds 15]
import '../lib/quietHome.js';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BIN, CliSandbox, ROOT, startCliServer } from '../../src/cli/testing/cliSandbox.js';
import type { Row } from '../lib/report.js';
import { figureMain, measure, numberOption, progress } from '../lib/report.js';

interface Run {
  ms: number;
  code: number | null;
  stderr: string;
}

function timedRun(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ ms: performance.now() - t0, code, stderr }));
  });
}

/** The CPU time (user + sys, ms) of one run of `cmd`, as bash's `times` reports its children's. */
async function cpuOf(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const script = '"$@" >/dev/null 2>&1 </dev/null; rc=$?; times; exit $rc';
  const p = spawn('bash', ['-c', script, 'bash', cmd, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  p.stdout.on('data', (b: Buffer) => (out += b.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    p.on('error', reject);
    p.on('close', resolve);
  });
  if (code !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${code} (CPU run)`);
  // Second line: the children's user and sys time, `0m0.120s 0m0.030s`.
  const times = [...(out.trim().split('\n')[1] ?? '').matchAll(/(\d+)m([\d.]+)s/g)];
  if (times.length !== 2) throw new Error(`bash times printed no children's line: ${out}`);
  return times.reduce((ms, [, m, sec]) => ms + (Number(m) * 60 + Number(sec)) * 1000, 0);
}

async function ok(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const r = await timedRun(cmd, args, env);
  if (r.code !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.ms;
}

/** What bin/runcode loads: the bundle when `npm run build:node` made it (and it is current), else tsc's dist/. */
export function cliEntry(): string {
  const mtime = (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.mtimeMs;
  const bundle = mtime(path.join(ROOT, 'dist', 'bundle', 'runcode.mjs'));
  const compiled = mtime(path.join(ROOT, 'dist', 'cli', 'index.js'));
  if (bundle !== undefined && bundle >= (compiled ?? 0))
    return 'the bundle (dist/bundle, scripts/buildCli.mjs)';
  if (compiled !== undefined) return "tsc's dist/ (no current bundle: run `npm run build:node`)";
  throw new Error('dist/ is not built: run `npm run build:node` before this group');
}

export async function cliFigures(): Promise<Row[]> {
  const rounds = numberOption('cli-rounds', 15);
  const entry = cliEntry();
  const server = await startCliServer({ autoApprove: true });
  const b = new CliSandbox('rc-bench-cli-');
  try {
    const login = await b.login(server);
    if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
    await ok(process.execPath, [BIN, 'start', 'api'], b.env);
    // The first exec connects (key, pass, config entry); the rounds then find it connected.
    for (let i = 0; ; i++) {
      const r = await timedRun(process.execPath, [BIN, 'exec', 'api', '--', 'true'], b.env);
      if (r.code === 0) break;
      if (i > 100) throw new Error(`runcode exec api -- true kept failing: ${r.stderr}`);
      await new Promise((res) => setTimeout(res, 200));
    }
    // Our own ssh config when the CLI writes one (<state>/ssh_config), else the sandbox's.
    const own = path.join(b.stateDir, 'ssh_config');
    const config = fs.existsSync(own) ? own : b.sshConfig;
    const sshEnv = { ...b.env };
    const cmds: Record<string, () => Promise<number>> = {
      node: () => ok(process.execPath, ['-e', '0'], b.env),
      help: () => ok(process.execPath, [BIN, '--help'], b.env),
      exec: () => ok(process.execPath, [BIN, 'exec', 'api', '--', 'true'], b.env),
      ssh: () => ok('ssh', ['-F', config, '-o', 'BatchMode=yes', 'runcode.api', 'true'], sshEnv),
    };
    const cpuCmds: Record<string, () => Promise<number>> = {
      node: () => cpuOf(process.execPath, ['-e', '0'], b.env),
      exec: () => cpuOf(process.execPath, [BIN, 'exec', 'api', '--', 'true'], b.env),
      ssh: () => cpuOf('ssh', ['-F', config, '-o', 'BatchMode=yes', 'runcode.api', 'true'], sshEnv),
    };
    const names = Object.keys(cmds);
    const cpuNames = Object.keys(cpuCmds);
    const series: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    const cpu: Record<string, number[]> = Object.fromEntries(cpuNames.map((n) => [n, []]));
    progress(`cli: ${rounds} rounds (+2 warm-up) of node -e 0, runcode --help, runcode exec, ssh true`);
    for (let r = -2; r < rounds; r++) {
      const order = names.map((_, i) => names[(i + r + 2) % names.length]!);
      for (const n of order) {
        const ms = await cmds[n]!();
        if (r >= 0) series[n]!.push(ms);
      }
      const cpuOrder = cpuNames.map((_, i) => cpuNames[(i + r + 2) % cpuNames.length]!);
      for (const n of cpuOrder) {
        const ms = await cpuCmds[n]!();
        if (r >= 0) cpu[n]!.push(ms);
      }
    }
    const node = measure(series.node!, 'ms');
    const help = measure(series.help!, 'ms');
    const exec = measure(series.exec!, 'ms');
    const ssh = measure(series.ssh!, 'ms');
    const floor = measure(
      series.node!.map((x, i) => x + series.ssh![i]!),
      'ms',
    );
    const execCpu = measure(cpu.exec!, 'ms');
    const floorCpu = measure(
      cpu.node!.map((x, i) => x + cpu.ssh![i]!),
      'ms',
    );
    return [
      {
        figure: '`runcode --help` (wall) vs `node -e 0`',
        ours: help,
        reference: node,
        target: '<= ref + 60 ms',
        met: help.median <= node.median + 60,
        note: `${rounds} rounds, each command once per round in rotating order, wall time from spawn to exit; bin/runcode runs ${entry}.`,
      },
      {
        figure: '`runcode exec NAME -- true` vs `node -e 0` + `ssh -F cfg runcode.NAME true`',
        ours: exec,
        reference: floor,
        target: '<= 1.30x',
        met: exec.median <= 1.3 * floor.median,
        note: `A connected workspace with a fresh pass (what an agent's hundredth call finds). Reference: the Node start-up floor plus OpenSSH running the same command through the same gateway with the config we wrote (${path.basename(config)}); its parts, medians: node -e 0 ${node.median.toFixed(1)} ms, ssh true ${ssh.median.toFixed(1)} ms.`,
      },
      {
        figure: '  `runcode exec NAME -- true` CPU (user+sys) vs `node -e 0` + `ssh true`',
        ours: execCpu,
        reference: floorCpu,
        target: '-',
        met: null,
        note: `The same commands once more per round, each under bash's \`times\` (the CPU of the process and its children, not of the gateway, which serves both alike): less scattered by the load than wall time. Reference parts, medians: node -e 0 ${measure(cpu.node!, 'ms').median.toFixed(1)} ms, ssh true ${measure(cpu.ssh!, 'ms').median.toFixed(1)} ms.`,
      },
    ];
  } finally {
    await b.dispose();
    await server.close();
  }
}

await figureMain('cli', cliFigures);
