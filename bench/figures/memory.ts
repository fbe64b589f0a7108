// Memory: peak RSS (VmHWM, /proc) of
//  - `runcode agent` (the built CLI, bin/runcode) keeping 50 connected workspaces' passes fresh,
//    with passes short enough that it renews every one of them during the run;
//  - the core in one process with 50 connected workspaces (refresher running) and 10 forwards
//    carrying traffic (10 parallel downloads through them), on the built dist/ with bare node.
// Reference, in the same run: a bare `node` process doing nothing (the runtime's own floor).
// The renderer's heap with 2,000 workspaces is in the popover group.
//
//   npx tsx bench/figures/memory.ts [--memory-rounds 2] [--traffic 640MiB]
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { RuncodeApp } from '../../src/core/app/runcodeApp.js';
import { FileSecretStore } from '../../src/core/secrets/fileSecretStore.js';
import { SettingsFile } from '../../src/core/state/settingsFile.js';
import { freePort } from '../lib/forwardPaths.js';
import type { LocalServer } from '../lib/localServer.js';
import { benchCore, startAll, startLocalServer, workspaceDefs } from '../lib/localServer.js';
import type { Row } from '../lib/report.js';
import { figureMain, measure, numberOption, option, parseBytes, progress } from '../lib/report.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CONNECTED = 50;
const FORWARDS = 10;
const FILE_MIB = 16;
const PASS_TTL = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** VmHWM (peak RSS) of a live process in MB; NaN where /proc is missing. */
function peakRss(pid: number | undefined): number {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(s)?.[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => child.once('exit', () => r()));
}

async function bareNode(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  await sleep(700);
  const mb = peakRss(child.pid);
  child.kill();
  await exited(child);
  return mb;
}

/** Newest mtime of the .ts files (not tests) under dir. */
function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
      t = Math.max(t, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
  }
  return t;
}

/** dist/ as built, when it is at least as new as src/core and src/cli; else undefined. */
function builtRoot(): string | undefined {
  const marker = path.join(ROOT, 'dist', 'cli', 'index.js');
  if (!fs.existsSync(marker)) return undefined;
  const built = fs.statSync(marker).mtimeMs;
  return newest(path.join(ROOT, 'src', 'core')) <= built && newest(path.join(ROOT, 'src', 'cli')) <= built
    ? 'dist'
    : undefined;
}

function download(port: number, times: number): Promise<number> {
  return (async () => {
    let got = 0;
    for (let i = 0; i < times; i++) {
      got += await new Promise<number>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/big.bin', agent: false }, (res) => {
            let n = 0;
            res.on('data', (b: Buffer) => (n += b.length));
            res.on('end', () => resolve(n));
          })
          .on('error', reject);
      });
    }
    return got;
  })();
}

/** The core with 50 connected and 10 forwards in its own process; peak RSS while traffic flows. */
async function coreWithForwards(
  server: LocalServer,
  root: string,
  ports: number[],
  traffic: number,
): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-mem-'));
  const args = [
    ...(root === 'src' ? ['--import', 'tsx'] : []),
    path.join(ROOT, 'bench', 'lib', 'coreHost.mjs'),
    JSON.stringify({
      root,
      endpoint: server.endpoint,
      caFile: server.caFile,
      token: await server.token(),
      connect: CONNECTED,
      forwards: ports.map((port, i) => ({ workspace: `ws-${i}`, port })),
      stateDir: path.join(dir, 'state'),
      sshConfig: path.join(dir, 'home', '.ssh', 'config'),
    }),
  ];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout! });
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      child.once('exit', (c) => reject(new Error(`the core process exited (${c})`)));
      lines.once('line', (l) => resolve(JSON.parse(l) as Record<string, unknown>));
    });
  try {
    const ready = (await next()) as { localPorts: number[] };
    const each = Math.max(1, Math.round(traffic / ports.length / (FILE_MIB * 1024 ** 2)));
    const t0 = performance.now();
    const got = await Promise.all(ready.localPorts.map((p) => download(p, each)));
    const mb = got.reduce((a, b) => a + b, 0) / 1024 ** 2;
    progress(
      `  ${mb.toFixed(0)} MiB through ${ports.length} forwards in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const peak = peakRss(child.pid);
    child.stdin!.write('exit\n');
    await next();
    return peak;
  } finally {
    child.kill();
    await exited(child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `runcode agent` over a state dir with 50 connections; runs until each pass was renewed once. */
async function agent(server: LocalServer): Promise<{ peak: number; renewed: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-agent-'));
  const stateDir = path.join(dir, 'state');
  const sshConfig = path.join(dir, 'home', '.ssh', 'config');
  fs.mkdirSync(path.dirname(sshConfig), { recursive: true, mode: 0o700 });
  // The token where the CLI looks when no keychain answers (as on this headless machine).
  const app = new RuncodeApp({
    stateDir,
    sshConfigPath: sshConfig,
    secrets: new FileSecretStore(stateDir),
    settings: new SettingsFile(stateDir),
  });
  let child: ChildProcess | undefined;
  try {
    await app.session.adoptToken(server.endpoint, server.caFile, await server.token());
    for (let i = 0; i < CONNECTED; i++) await app.connect(`ws-${i}`);
    const env = {
      ...process.env,
      HOME: path.join(dir, 'home'),
      RUNCODE_HOME: stateDir,
      RUNCODE_SSH_CONFIG: sshConfig,
    };
    child = spawn(process.execPath, [path.join(ROOT, 'bin', 'runcode'), 'agent'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    const end = performance.now() + PASS_TTL * 1000 * 0.6 + 8000;
    const renewed = () => (err.match(/pass renewed/g) ?? []).length;
    while (performance.now() < end && renewed() < CONNECTED && child.exitCode === null) await sleep(250);
    if (child.exitCode !== null)
      throw new Error(`runcode agent exited (${child.exitCode}): ${err.slice(-500)}`);
    if (/not signed in/.test(err)) throw new Error('runcode agent found no token (a working keychain here?)');
    return { peak: peakRss(child.pid), renewed: renewed() };
  } finally {
    child?.kill('SIGTERM');
    if (child) await exited(child);
    await app.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function memoryFigures(): Promise<Row[]> {
  const rounds = numberOption('memory-rounds', 2);
  const traffic = parseBytes(option('traffic', '640MiB'));
  const ports = await Promise.all(Array.from({ length: FORWARDS }, () => freePort()));
  const server = await startLocalServer(
    workspaceDefs(CONNECTED, (i) =>
      i < FORWARDS
        ? {
            ports: [{ port: ports[i]! }],
            services: [{ type: 'static-http', port: ports[i]!, dir: 'public' }],
          }
        : {},
    ),
    { passTtlSeconds: PASS_TTL },
  );
  for (let i = 0; i < FORWARDS; i++) {
    const pub = path.join(server.dataDir, 'workspaces', `ws-${i}`, 'public');
    fs.mkdirSync(pub, { recursive: true });
    fs.writeFileSync(path.join(pub, 'big.bin'), Buffer.alloc(FILE_MIB * 1024 ** 2, 'x'));
  }
  const starter = await benchCore(server);
  const root = builtRoot();
  const series = {
    agent: [] as number[],
    core: [] as number[],
    bare: [] as number[],
    renewed: [] as number[],
  };
  try {
    await startAll(starter.app);
    progress(
      `memory: ${rounds} rounds of runcode agent, the core with forwards (${root ?? 'src via tsx'}), bare node`,
    );
    for (let r = 0; r < rounds; r++) {
      series.bare.push(await bareNode());
      if (root) {
        const a = await agent(server);
        series.agent.push(a.peak);
        series.renewed.push(a.renewed);
      }
      series.core.push(await coreWithForwards(server, root ?? 'src', ports, traffic));
      progress(
        `  round ${r + 1}: agent ${series.agent.at(-1)?.toFixed(0) ?? '-'} MB, core ${series.core.at(-1)!.toFixed(0)} MB, bare node ${series.bare.at(-1)!.toFixed(0)} MB`,
      );
    }
  } finally {
    await starter.dispose();
    await server.close();
  }
  const mb = (xs: number[]) => measure(xs, 'MB', 0);
  const rows: Row[] = [];
  if (root)
    rows.push({
      figure: `runcode agent peak RSS, ${CONNECTED} connected (vs bare node)`,
      ours: mb(series.agent),
      reference: mb(series.bare),
      target: '< 100 MB',
      met: mb(series.agent).median < 100,
      note:
        `bin/runcode agent (the built dist/) over a state dir with ${CONNECTED} connections to the local server, passes of ` +
        `${PASS_TTL} s so it renews them while it runs (renewed ${series.renewed.join(', ')} of ${CONNECTED}); VmHWM from /proc.`,
    });
  rows.push({
    figure: `core peak RSS, ${CONNECTED} connected + ${FORWARDS} forwards carrying traffic (vs bare node)`,
    ours: mb(series.core),
    reference: mb(series.bare),
    target: '< 100 MB',
    met: mb(series.core).median < 100,
    note:
      `One process (${root ? 'bare node on dist/' : 'src/ under tsx, which adds its own loader: dist/ was missing or older than src/'}): ` +
      `RuncodeApp with ${CONNECTED} connected, refresher and connection watch running, ForwardManager with ${FORWARDS} forwards on ` +
      `${FORWARDS} workspaces while ${(traffic / 1024 ** 2).toFixed(0)} MiB are downloaded through them, 10 at once; VmHWM.` +
      (root ? '' : ' No `runcode agent` row: build dist/ first (npx tsc -p tsconfig.build.json).'),
  });
  return rows;
}

await figureMain('memory', memoryFigures);
