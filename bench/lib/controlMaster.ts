// The forward design not built, measured beside ours (issue 15, goal 2): an OpenSSH control master
// per workspace, forwards added to it with `ssh -O forward`, so OpenSSH carries the bytes. Its
// throughput and first byte are `ssh -L`'s (the same code in the same process); what the rows here
// add is what it would cost the tray: a process per workspace and a process per forward change.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ForwardManager } from '../../src/core/forwards/forwardManager.js';
import type { GatewayHost } from '../../src/core/forwards/testing/gatewayHostProcess.js';
import type { Probe } from './forwardPaths.js';
import { freePort, waitForPort, writeOpenSshConfig } from './forwardPaths.js';
import type { Row } from './report.js';
import { measure, peakRss, progress, single } from './report.js';

/** Runs ssh with `args`; resolves with its exit code. */
function ssh(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(0) : reject(new Error(`ssh ${args.join(' ')}: ${err}`)),
    );
  });
}

export async function controlMasterRows(
  gw: GatewayHost,
  fm: ForwardManager,
  probe: Probe,
  dir: string,
  cipher: string,
  rounds: number,
  bytes: number,
): Promise<Row[]> {
  const cmDir = fs.mkdtempSync(path.join(dir, 'cm-'));
  const cfg = writeOpenSshConfig(gw, await gw.newTarget(), cmDir, cipher);
  const sock = path.join(cmDir, 'cm.sock');
  const base = ['-F', cfg, '-S', sock];
  const master = spawn('ssh', [...base, '-M', '-o', 'ControlPersist=no', '-N', 'gw'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const until = Date.now() + 10_000;
    while (!fs.existsSync(sock)) {
      if (Date.now() > until || master.exitCode !== null) throw new Error('the control master did not start');
      await new Promise((r) => setTimeout(r, 20));
    }
    progress(`forward: the control-master design, ${rounds} rounds of adding and removing a forward`);
    const oursMs: number[] = [];
    const masterMs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // A remote port nothing listens on: either side only opens its local listener.
      const remote = 40_000 + r;
      let t = performance.now();
      const info = await fm.add({ workspace: 'demo', remotePort: remote, localPort: await freePort() });
      oursMs.push(performance.now() - t);
      await fm.remove('demo', info.remotePort);
      const local = await freePort();
      const spec = `127.0.0.1:${local}:127.0.0.1:${remote}`;
      t = performance.now();
      await ssh([...base, '-O', 'forward', '-L', spec, 'gw']);
      masterMs.push(performance.now() - t);
      await ssh([...base, '-O', 'cancel', '-L', spec, 'gw']);
    }
    // Its peak memory after carrying a download, as a tray's master would.
    const local = await freePort();
    await ssh([...base, '-O', 'forward', '-L', `127.0.0.1:${local}:127.0.0.1:${gw.ports.source}`, 'gw']);
    await waitForPort(local);
    await probe.ask({ op: 'download', port: local, bytes });
    const mib = (bytes / 1024 ** 2).toFixed(0);
    return [
      {
        figure: 'adding a forward: ours (ForwardManager.add) vs an OpenSSH control master (`ssh -O forward`)',
        ours: measure(oursMs, 'ms'),
        reference: measure(masterMs, 'ms'),
        target: '-',
        met: null,
        note:
          'The design where OpenSSH carries the bytes, measured but not built: a master per workspace (`ssh -M -S sock -N`, ' +
          'our own config), each forward added or removed by a new `ssh -O forward/cancel` process. Its bytes take ' +
          "`ssh -L`'s path (the rows above); what it would take from the tray: the per-forward traffic and connection " +
          'counts (the ports panel), a listener that stays while the link reconnects (new connections wait for it; with a ' +
          "master gone, its listeners go and a port may be taken meanwhile), the 'nothing listens on port N' reason, and " +
          'make-before-break on wake. ' +
          `${rounds} rounds, each adding then removing one forward on either side, median (min-max).`,
      },
      {
        figure: `  an OpenSSH control master's own peak RSS, per workspace (after ${mib} MiB through it)`,
        ours: single(peakRss(master.pid), 'MB'),
        target: '-',
        met: null,
      },
    ];
  } finally {
    master.kill();
  }
}
