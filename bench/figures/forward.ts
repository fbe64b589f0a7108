// Forward figures: our forward (ForwardManager over ssh2, in this process) vs OpenSSH's `ssh -N -L`
// vs raw loopback, through the same real gateway (its own process), measured by a client in a
// third process. Rounds interleave the paths (the order rotates), so a load change on the machine
// hits all of them alike; each figure is the median over rounds with min-max.
//
//   npm run bench -- forward [--bytes 1GiB] [--rounds 5] [--latency-rounds 5]
//     [--connections 200] [--parallel 200] [--openssh-cipher NAME]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ForwardManager } from '../../src/core/forwards/forwardManager.js';
import { startGatewayHost } from '../../src/core/forwards/testing/gatewayHostProcess.js';
import { controlMasterRows } from '../lib/controlMaster.js';
import type { OpenSshForward } from '../lib/forwardPaths.js';
import { freePort, startOpenSsh, startProbe } from '../lib/forwardPaths.js';
import type { Row } from '../lib/report.js';
import {
  figureMain,
  measure,
  numberOption,
  option,
  parseBytes,
  percentile,
  procCpuUs,
  progress,
} from '../lib/report.js';

interface Path {
  label: string;
  source: number;
  echo: number;
  http: number;
  /** CPU microseconds used so far by the forwarding client (none for raw). */
  cpu?: () => number;
}

const selfCpuUs = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** Runs fn for each path once per round, rotating the order each round. */
async function interleaved(
  paths: Path[],
  rounds: number,
  fn: (p: Path, j: number, round: number) => Promise<void>,
): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < paths.length; k++) {
      const j = (r + k) % paths.length;
      await fn(paths[j]!, j, r);
    }
  }
}

export async function forwardFigures(): Promise<Row[]> {
  const bytes = parseBytes(option('bytes', '1GiB'));
  const rounds = numberOption('rounds', 5);
  const latencyRounds = numberOption('latency-rounds', 5);
  const connections = numberOption('connections', 200);
  const parallelN = numberOption('parallel', 200);
  // The headline compares like with like: OpenSSH at the cipher ssh2 negotiates with the gateway
  // (aes128-gcm@openssh.com). OpenSSH at its own default (chacha20-poly1305) runs beside it.
  const cipher = option('openssh-cipher', 'aes128-gcm@openssh.com');

  const gw = await startGatewayHost();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-fwd-'));
  let ssh: OpenSshForward | undefined;
  let sshDefault: OpenSshForward | undefined;
  const probe = startProbe();
  const oursTarget = gw.newTarget();
  const fm = new ForwardManager({ getTarget: () => oursTarget });
  try {
    const add = async (remotePort: number) =>
      (await fm.add({ workspace: 'demo', remotePort, localPort: await freePort() })).localPort;
    const ours = {
      source: await add(gw.ports.source),
      echo: await add(gw.ports.echo),
      http: await add(gw.ports.http),
    };
    const o = { source: await freePort(), echo: await freePort(), http: await freePort() };
    ssh = await startOpenSsh(
      gw,
      await gw.newTarget(),
      dir,
      [
        { local: o.source, remote: gw.ports.source },
        { local: o.echo, remote: gw.ports.echo },
        { local: o.http, remote: gw.ports.http },
      ],
      cipher,
    );
    const d = { source: await freePort(), echo: await freePort(), http: await freePort() };
    sshDefault = await startOpenSsh(
      gw,
      await gw.newTarget(),
      fs.mkdtempSync(path.join(dir, 'default-')),
      [
        { local: d.source, remote: gw.ports.source },
        { local: d.echo, remote: gw.ports.echo },
        { local: d.http, remote: gw.ports.http },
      ],
      '',
    );
    const sshPid = ssh.child.pid;
    const sshDefaultPid = sshDefault.child.pid;
    const paths: Path[] = [
      { label: 'raw', ...gw.ports },
      { label: 'ours', ...ours, cpu: selfCpuUs },
      { label: `openssh ${ssh.cipher}`, ...o, cpu: () => procCpuUs(sshPid) },
      { label: `openssh ${sshDefault.cipher}`, ...d, cpu: () => procCpuUs(sshDefaultPid) },
    ];
    // Warm-up: connections open, JIT warm, first channel costs paid.
    for (const p of paths) {
      await probe.ask({ op: 'download', port: p.source, bytes: 8e6 });
      await probe.ask({ op: 'parallel', port: p.http, n: 20, bytes: 1024 });
      for (let i = 0; i < 20; i++) await probe.ask({ op: 'first-byte', port: p.echo });
    }

    const mib = (bytes / 1024 ** 2).toFixed(0);
    progress(`forward: throughput, ${mib} MiB download x ${rounds} rounds x ${paths.length} paths`);
    const mbps: number[][] = paths.map(() => []);
    const cpuPerGiB: number[][] = paths.map(() => []);
    const gatewayCpuPerGiB: number[][] = paths.map(() => []);
    const gatewayCpu = () => procCpuUs(gw.child.pid);
    await interleaved(paths, rounds, async (p, j, r) => {
      const c0 = p.cpu?.() ?? 0;
      const g0 = gatewayCpu();
      const res = await probe.ask<{ mbps: number }>({ op: 'download', port: p.source, bytes });
      if (p.cpu) cpuPerGiB[j]!.push((p.cpu() - c0) / 1e6 / (bytes / 1024 ** 3));
      gatewayCpuPerGiB[j]!.push((gatewayCpu() - g0) / 1e6 / (bytes / 1024 ** 3));
      mbps[j]!.push(res.mbps);
      progress(`  round ${r + 1} ${p.label}: ${res.mbps.toFixed(0)} MB/s`);
    });

    progress(
      `forward: first byte, ${latencyRounds} rounds x ${connections} fresh connections x ${paths.length} paths`,
    );
    const p50: number[][] = paths.map(() => []);
    const p99: number[][] = paths.map(() => []);
    const cpuPerConn: number[][] = paths.map(() => []);
    await interleaved(paths, latencyRounds, async (p, j) => {
      const xs: number[] = [];
      const c0 = p.cpu?.() ?? 0;
      for (let i = 0; i < connections; i++)
        xs.push((await probe.ask<{ ms: number }>({ op: 'first-byte', port: p.echo })).ms);
      if (p.cpu) cpuPerConn[j]!.push((p.cpu() - c0) / connections);
      p50[j]!.push(percentile(xs, 50));
      p99[j]!.push(percentile(xs, 99));
    });

    progress(
      `forward: ${parallelN} parallel small requests x ${latencyRounds} rounds x ${paths.length} paths`,
    );
    const par99: number[][] = paths.map(() => []);
    const parAll: number[][] = paths.map(() => []);
    await interleaved(paths, latencyRounds, async (p, j) => {
      const { ms } = await probe.ask<{ ms: number[] }>({
        op: 'parallel',
        port: p.http,
        n: parallelN,
        bytes: 1024,
      });
      par99[j]!.push(percentile(ms, 99));
      parAll[j]!.push(Math.max(...ms));
    });

    const [RAW, OURS, SSH, DEF] = [0, 1, 2, 3];
    const t = (j: number) => measure(mbps[j]!, 'MB/s', 0);
    const ms = (xs: number[]) => measure(xs, 'ms');
    const tRatio = t(OURS).median / t(SSH).median;
    const l50 = p50[OURS]!;
    const lRatio = ms(l50).median / ms(p50[SSH]!).median;
    const sshName = `OpenSSH ssh -L, same cipher (${ssh.cipher})`;
    const defName = `OpenSSH ssh -L, its default cipher (${sshDefault.cipher})`;
    return [
      {
        figure: `forward throughput ${mib} MiB: ours vs ${sshName}`,
        ours: t(OURS),
        reference: t(SSH),
        target: '>= 1.00x',
        met: tRatio >= 1,
        note:
          `Download through a loopback listener -> SSH channel -> the real gateway (own process) -> the workspace's byte source; ` +
          `a separate client process reads it to the end; ${rounds} rounds interleaved, median (min-max). ` +
          `ours negotiates ssh2's first cipher with the gateway (aes128-gcm@openssh.com); the headline OpenSSH runs with ` +
          `Ciphers ${ssh.cipher}, a second OpenSSH with its default (${sshDefault.cipher}) beside it. On this machine the gateway, ` +
          `the forwarding client and the reading client share ${os.cpus().length} cores: the client CPU per GiB (next rows) ` +
          `is taken from the gateway, so the client that spends less CPU moves more.`,
      },
      {
        figure: `  forward throughput ${mib} MiB: ours vs ${defName}`,
        ours: t(OURS),
        reference: t(DEF),
        target: '-',
        met: null,
      },
      {
        figure: `forward throughput ${mib} MiB: ours vs raw loopback (the limit)`,
        ours: t(OURS),
        reference: t(RAW),
        target: '-',
        met: null,
      },
      {
        figure: 'forward CPU per GiB, client side: ours vs OpenSSH (same cipher)',
        ours: measure(cpuPerGiB[OURS]!, 's/GiB'),
        reference: measure(cpuPerGiB[SSH]!, 's/GiB'),
        target: '<= 1.00x',
        met: measure(cpuPerGiB[OURS]!, '').median <= measure(cpuPerGiB[SSH]!, '').median,
      },
      {
        figure: `  forward CPU per GiB, client side: ours vs OpenSSH (${sshDefault.cipher})`,
        ours: measure(cpuPerGiB[OURS]!, 's/GiB'),
        reference: measure(cpuPerGiB[DEF]!, 's/GiB'),
        target: '-',
        met: null,
      },
      {
        figure: '  forward CPU per GiB, gateway side: with ours vs with OpenSSH (same cipher)',
        ours: measure(gatewayCpuPerGiB[OURS]!, 's/GiB'),
        reference: measure(gatewayCpuPerGiB[SSH]!, 's/GiB'),
        target: '-',
        met: null,
        note:
          "utime+stime of the gateway's process (which also runs the workspace's byte source) over the same downloads; " +
          `the byte source alone (raw loopback) ${measure(gatewayCpuPerGiB[RAW]!, 's/GiB').median.toFixed(2)} s/GiB.`,
      },
      {
        figure: `forwarded first byte p50 (fresh connection): ours vs OpenSSH (same cipher)`,
        ours: ms(l50),
        reference: ms(p50[SSH]!),
        target: '<= 1.00x',
        met: lRatio <= 1,
        note:
          `${connections} fresh connections per round, ${latencyRounds} rounds: connect to the local listener, one byte to the ` +
          `workspace's echo service and back (a new SSH channel and a new gateway-side connect each). Raw loopback p50 ` +
          `${ms(p50[RAW]!).median.toFixed(3)} ms; OpenSSH with ${sshDefault.cipher} ${ms(p50[DEF]!).median.toFixed(3)} ms.`,
      },
      {
        figure: '  forward CPU per fresh connection, client side: ours vs OpenSSH',
        ours: measure(cpuPerConn[OURS]!, 'us', 0),
        reference: measure(cpuPerConn[SSH]!, 'us', 0),
        target: '-',
        met: null,
        note:
          'utime+stime of the forwarding process per first-byte round (accept, channel open, one byte each way, close): ' +
          'ssh2 and Node streams in JavaScript against OpenSSH in C. On two cores shared with the gateway and the ' +
          'client, that CPU is most of the first-byte difference.',
      },
      {
        figure: 'forwarded first byte p99: ours vs OpenSSH',
        ours: ms(p99[OURS]!),
        reference: ms(p99[SSH]!),
        target: '-',
        met: null,
      },
      {
        figure: `${parallelN} parallel small requests p99: ours vs OpenSSH`,
        ours: ms(par99[OURS]!),
        reference: ms(par99[SSH]!),
        target: '-',
        met: null,
        note:
          `${parallelN} connections opened at once, each an HTTP/1.1 GET of 1 KiB (Connection: close) from the workspace's ` +
          `web server; p99 of the ${parallelN} request times per round. Raw loopback p99 ${ms(par99[RAW]!).median.toFixed(2)} ms.`,
      },
      ...(await controlMasterRows(
        gw,
        fm,
        probe,
        dir,
        cipher,
        numberOption('master-rounds', 10),
        Math.min(bytes, 256 * 1024 ** 2),
      )),
    ];
  } finally {
    ssh?.child.kill();
    sshDefault?.child.kill();
    probe.close();
    await fm.dispose();
    await gw.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await figureMain('forward', forwardFigures);
