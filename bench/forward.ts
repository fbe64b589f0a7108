// Port-forward benchmark, one detailed run (`npm run bench -- forward` runs it in rounds): our forward (ForwardManager over ssh2) vs OpenSSH's `ssh -N -L` vs raw
// loopback, through the same real gateway (in its own process), in one run.
//
//   npx tsx bench/forward.ts [--bytes 1GiB] [--rounds 500] [--repeat 3] [--openssh-cipher NAME]
//
// Throughput: a fresh connection asks the workspace's "source" service for N bytes and reads them
// to the end (download direction; best of --repeat). First-byte latency: --rounds fresh
// connections, each sends one byte to the workspace's echo service and waits for it to come back
// (connect + channel open + gateway's connect + round trip); p50/p99. OpenSSH runs with its
// defaults (cipher chacha20-poly1305 unless configured) and a temp -F config pinning the gateway key.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ForwardManager } from '../src/core/forwards/forwardManager.js';
import { startGatewayHost } from '../src/core/forwards/testing/gatewayHostProcess.js';
import type { OpenSshForward, Probe } from './lib/forwardPaths.js';
import { freePort, startOpenSsh, startProbe, waitForPort } from './lib/forwardPaths.js';
import { parseBytes, printTable, procCpuUs as procCpu } from './lib/report.js';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}

const BYTES = parseBytes(arg('bytes', '1GiB'));
const ROUNDS = Number(arg('rounds', '500'));
const REPEAT = Number(arg('repeat', '3'));
/** e.g. aes128-gcm@openssh.com, to compare at the cipher ssh2 negotiates with the gateway. */
const OPENSSH_CIPHER = arg('openssh-cipher', '');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

type Lat = { p50: number; p99: number };

interface Path {
  label: string;
  source: number;
  echo: number;
  /** CPU microseconds used so far by this path's forwarding client (none for raw). */
  clientCpu?: () => number;
}

const selfCpu = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** CPU spent per path (client side, gateway) while its own measurements ran. */
class CpuLedger {
  readonly client: number[];
  readonly gateway: number[];
  constructor(
    private readonly paths: Path[],
    private readonly gatewayCpu: () => number,
  ) {
    this.client = paths.map(() => 0);
    this.gateway = paths.map(() => 0);
  }
  async around<T>(j: number, fn: () => Promise<T>): Promise<T> {
    const c0 = this.paths[j]!.clientCpu?.() ?? 0;
    const g0 = this.gatewayCpu();
    const r = await fn();
    this.client[j]! += (this.paths[j]!.clientCpu?.() ?? 0) - c0;
    this.gateway[j]! += this.gatewayCpu() - g0;
    return r;
  }
}

/** Round-robin over the paths, so a load change on this machine hits all of them alike. */
async function latencies(
  probe: Probe,
  paths: Path[],
  cpu: CpuLedger,
): Promise<Array<{ p50: number; p99: number }>> {
  const xs: number[][] = paths.map(() => []);
  for (let i = 0; i < ROUNDS + 20; i++) {
    for (let k = 0; k < paths.length; k++) {
      const j = (i + k) % paths.length;
      const { ms } = await cpu.around(j, () =>
        probe.ask<{ ms: number }>({ op: 'first-byte', port: paths[j]!.echo }),
      );
      if (i >= 20) xs[j]!.push(ms); // the first 20 are warm-up
    }
  }
  return xs.map((a) => {
    a.sort((x, y) => x - y);
    return { p50: percentile(a, 50), p99: percentile(a, 99) };
  });
}

/** Best of REPEAT for each path, runs interleaved. */
async function throughputs(probe: Probe, paths: Path[], cpu: CpuLedger): Promise<number[]> {
  const top = paths.map(() => 0);
  for (let i = 0; i < REPEAT; i++) {
    for (let j = 0; j < paths.length; j++) {
      const { mbps } = await cpu.around(j, () =>
        probe.ask<{ mbps: number }>({ op: 'download', port: paths[j]!.source, bytes: BYTES }),
      );
      process.stderr.write(`  ${paths[j]!.label} run ${i + 1}: ${mbps.toFixed(0)} MB/s\n`);
      top[j] = Math.max(top[j]!, mbps);
    }
  }
  return top;
}

async function main(): Promise<void> {
  const gw = await startGatewayHost();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-'));
  let ssh: OpenSshForward | undefined;
  let probe: Probe | undefined;
  const fm = new ForwardManager({
    getTarget: (() => {
      const t = gw.newTarget();
      return () => t;
    })(),
  });
  try {
    const target = await gw.newTarget();
    const [oSource, oEcho] = [await freePort(), await freePort()];
    const ours = {
      source: (await fm.add({ workspace: 'demo', remotePort: gw.ports.source, localPort: await freePort() }))
        .localPort,
      echo: (await fm.add({ workspace: 'demo', remotePort: gw.ports.echo, localPort: await freePort() }))
        .localPort,
    };
    const started = await startOpenSsh(
      gw,
      target,
      dir,
      [
        { local: oSource, remote: gw.ports.source },
        { local: oEcho, remote: gw.ports.echo },
      ],
      OPENSSH_CIPHER,
    );
    ssh = started;
    await waitForPort(ours.source);
    probe = startProbe();
    const paths: Path[] = [
      { label: 'raw', source: gw.ports.source, echo: gw.ports.echo },
      { label: 'ours', source: ours.source, echo: ours.echo, clientCpu: selfCpu },
      { label: 'openssh', source: oSource, echo: oEcho, clientCpu: () => procCpu(ssh?.child.pid) },
    ];
    const gatewayCpu = (): number => procCpu(gw.child.pid);
    const tCpu = new CpuLedger(paths, gatewayCpu);
    const lCpu = new CpuLedger(paths, gatewayCpu);
    for (const p of paths) await probe.ask({ op: 'download', port: p.source, bytes: 1e6 });

    const mib = (BYTES / 1024 ** 2).toFixed(0);
    process.stderr.write(`throughput, ${mib} MiB download, best of ${REPEAT}:\n`);
    const [tRaw, tOurs, tSsh] = (await throughputs(probe, paths, tCpu)) as [number, number, number];
    process.stderr.write(`first-byte latency, ${ROUNDS} fresh connections each...\n`);
    const [lRaw, lOurs, lSsh] = (await latencies(probe, paths, lCpu)) as [Lat, Lat, Lat];

    const rows: string[][] = [
      ['', 'throughput MB/s', 'first byte p50 ms', 'first byte p99 ms'],
      ['raw loopback', tRaw.toFixed(0), lRaw.p50.toFixed(3), lRaw.p99.toFixed(3)],
      ['ours (ssh2 forward)', tOurs.toFixed(0), lOurs.p50.toFixed(3), lOurs.p99.toFixed(3)],
      [`OpenSSH ssh -L (${started.cipher})`, tSsh.toFixed(0), lSsh.p50.toFixed(3), lSsh.p99.toFixed(3)],
      [
        'ours / OpenSSH',
        `${(tOurs / tSsh).toFixed(2)}x`,
        `${(lOurs.p50 / lSsh.p50).toFixed(2)}x`,
        `${(lOurs.p99 / lSsh.p99).toFixed(2)}x`,
      ],
    ];
    // CPU: per GiB moved (all REPEAT runs) and per first-byte round (warm-up included).
    const gib = (BYTES * REPEAT) / 1024 ** 3;
    const perGiB = (us: number): string => (Number.isNaN(us) ? '-' : (us / 1e6 / gib).toFixed(2));
    const perRound = (us: number): string => (Number.isNaN(us) ? '-' : (us / (ROUNDS + 20)).toFixed(0));
    const cpuRows: string[][] = [
      ['CPU (/proc)', 'client s/GiB', 'gateway s/GiB', 'client us/round', 'gateway us/round'],
      ...[1, 2].map((j) => [
        paths[j]!.label,
        perGiB(tCpu.client[j]!),
        perGiB(tCpu.gateway[j]!),
        perRound(lCpu.client[j]!),
        perRound(lCpu.gateway[j]!),
      ]),
    ];
    console.log(
      `\nforward bench: ${mib} MiB, ${ROUNDS} latency rounds, node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}`,
    );
    printTable(rows);
    console.log('');
    printTable(cpuRows);
    console.log(
      `\ntargets: throughput >= 1.0x OpenSSH: ${tOurs >= tSsh ? 'met' : 'MISSED'}; first-byte p50 <= OpenSSH: ${lOurs.p50 <= lSsh.p50 ? 'met' : 'MISSED'}`,
    );
  } finally {
    ssh?.child.kill();
    probe?.close();
    await fm.dispose();
    await gw.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
