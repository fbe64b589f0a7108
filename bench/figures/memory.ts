// Memory: peak RSS (VmHWM, /proc) of
//  - `runcode agent` (the built CLI, bin/runcode) keeping 50 connected workspaces' passes fresh,
//    with passes short enough that it renews every one of them during the run;
//  - the core in one process with 50 connected workspaces (refresher running) and 10 forwards
//    carrying traffic (10 parallel downloads through them), on the built dist/ with bare node.
// Reference, in the same run: a bare `node` process doing nothing (the runtime's own floor).
// The renderer's heap with 2,000 workspaces is in the popover group.
//
//   npm run bench -- memory [--memory-rounds 2] [--traffic 640MiB]
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import readline from 'node:readline';
import { RuncodeApp } from '../../src/core/app/runcodeApp.js';
import { FileSecretStore } from '../../src/core/secrets/fileSecretStore.js';
import { SettingsFile } from '../../src/core/state/settingsFile.js';
import { freePort } from '../lib/forwardPaths.js';
import type { LocalServer } from '../lib/localServer.js';
import { benchCore, startAll, startLocalServer, workspaceDefs } from '../lib/localServer.js';
import type { Row } from '../lib/report.js';
import { figureMain, measure, numberOption, option, parseBytes, peakRss, progress } from '../lib/report.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CONNECTED = 50;
const FORWARDS = 10;
const FILE_MIB = 16;
const PASS_TTL = 20;

/** Extra node flags for the measured processes (an experiment knob, e.g. --max-semi-space-size=2). */
const NODE_FLAGS = option('node-flags', '').split(' ').filter(Boolean);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => child.once('exit', () => r()));
}

/** Peak RSS of a node process that runs `code` and then idles. */
async function idleNode(code = '', settleMs = 700): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', `${code}; setTimeout(() => {}, 60000)`],
    {
      stdio: 'ignore',
    },
  );
  await sleep(settleMs);
  const mb = peakRss(child.pid);
  child.kill();
  await exited(child);
  return mb;
}

/**
 * The current src/ compiled as the package builds it (tsconfig.build.json), into a directory of
 * our own under node_modules (so packages resolve): the checked-in dist/ may be older than src/.
 */
function build(): string {
  const out = path.join(ROOT, 'node_modules', '.cache', 'runcode-bench-dist');
  fs.rmSync(out, { recursive: true, force: true });
  const r = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      out,
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  // Type errors elsewhere still emit JavaScript; a missing entry point is what matters.
  if (!fs.existsSync(path.join(out, 'cli', 'index.js')))
    throw new Error(`tsc -p tsconfig.build.json failed: ${r.stdout}${r.stderr}`);
  // The CLI as bin/runcode runs it: the esbuild bundle (scripts/buildCli.mjs) of the same src/.
  const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'buildCli.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, RUNCODE_BUNDLE_OUT: path.join(out, 'bundle') },
  });
  if (!fs.existsSync(path.join(out, 'bundle', 'runcode.mjs')))
    throw new Error(`scripts/buildCli.mjs failed: ${b.stdout}${b.stderr}`);
  return out;
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
): Promise<{ peak: number; setup: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-mem-'));
  const args = [
    ...NODE_FLAGS,
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
    const setup = peakRss(child.pid);
    const each = Math.max(1, Math.round(traffic / ports.length / (FILE_MIB * 1024 ** 2)));
    const t0 = performance.now();
    const got = await Promise.all(ready.localPorts.map((p) => download(p, each)));
    const mb = got.reduce((a, b) => a + b, 0) / 1024 ** 2;
    progress(
      `  ${mb.toFixed(0)} MiB through ${ports.length} forwards in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const peak = peakRss(child.pid);
    child.stdin!.write('mem\n');
    const m = (await next()) as unknown as NodeJS.MemoryUsage;
    const f = (x: number) => (x / 1024 ** 2).toFixed(0);
    progress(
      `  after: rss ${f(m.rss)} MB, heap ${f(m.heapUsed)}/${f(m.heapTotal)} MB, external ${f(m.external)} MB, array buffers ${f(m.arrayBuffers)} MB`,
    );
    child.stdin!.write('exit\n');
    await next();
    return { peak, setup };
  } finally {
    child.kill();
    await exited(child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `runcode agent` over a state dir with 50 connections; runs until each pass was renewed once. */
async function agent(server: LocalServer, root: string): Promise<{ peak: number; renewed: number }> {
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
    child = spawn(process.execPath, [...NODE_FLAGS, path.join(root, 'bundle', 'runcode.mjs'), 'agent'], {
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
  progress('memory: building src/ (tsc -p tsconfig.build.json) to run it as shipped');
  const root = build();
  const series = {
    agent: [] as number[],
    core: [] as number[],
    bare: [] as number[],
    loaded: [] as number[],
    setup: [] as number[],
    renewed: [] as number[],
  };
  try {
    await startAll(starter.app);
    progress(
      `memory: ${rounds} rounds of runcode agent, the core with forwards (${root ?? 'src via tsx'}), bare node`,
    );
    for (let r = 0; r < rounds; r++) {
      series.bare.push(await idleNode());
      // What loading the agent's code costs before it does anything.
      const load = (m: string) => `await import(${JSON.stringify(pathToFileURL(path.join(root, m)).href)})`;
      series.loaded.push(
        await idleNode(`${load('cli/cliApp.js')}; ${load('cli/commands/agentCommand.js')}`, 2000),
      );
      const a = await agent(server, root);
      series.agent.push(a.peak);
      series.renewed.push(a.renewed);
      const c = await coreWithForwards(server, root, ports, traffic);
      series.core.push(c.peak);
      series.setup.push(c.setup);
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
  rows.push({
    figure: `runcode agent peak RSS, ${CONNECTED} connected (vs bare node)`,
    ours: mb(series.agent),
    reference: mb(series.bare),
    target: '< 60 MB',
    met: mb(series.agent).median < 60,
    note:
      `runcode agent (the esbuild bundle of the current src/, run by bare node as bin/runcode does) over a state dir with ${CONNECTED} connections to the local server, passes of ` +
      `${PASS_TTL} s so it renews them while it runs (renewed ${series.renewed.join(', ')} of ${CONNECTED}); VmHWM from /proc. ` +
      `Loading its code alone from tsc's output (cli/cliApp.js and the agent command, unbundled) peaks at ` +
      `${mb(series.loaded).median.toFixed(0)} MB.`,
  });
  rows.push({
    figure: `core peak RSS, ${CONNECTED} connected + ${FORWARDS} forwards carrying traffic (vs bare node)`,
    ours: mb(series.core),
    reference: mb(series.bare),
    target: '< 100 MB',
    met: mb(series.core).median < 100,
    note:
      `One process (bare node on the same build): ` +
      `RuncodeApp with ${CONNECTED} connected, refresher and connection watch running, ForwardManager with ${FORWARDS} forwards on ` +
      `${FORWARDS} workspaces while ${(traffic / 1024 ** 2).toFixed(0)} MiB are downloaded through them, 10 at once; VmHWM. ` +
      `Peak after connecting, before traffic: ${mb(series.setup).median.toFixed(0)} MB. Under traffic each SSH channel may ` +
      `hold its 2 MiB window (as OpenSSH's do) while the local reader catches up.`,
  });
  return rows;
}

await figureMain('memory', memoryFigures);
