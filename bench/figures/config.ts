// The ~/.ssh/config block at scale: 1,000 workspaces written into a 5,000-line user config, and
// that config edited (one entry changed). Reference, interleaved run by run: writing the same
// final bytes with the least a durable replace can do (temp file, write, fsync, rename, fsync of
// the directory), synchronously: the floor under any config writer. Both rows include what every
// write of the user's file does after the rename: `ssh -G` of the written file (the config has an
// Include, so every write is asked) while the replaced file is watched for late appends (30 ms);
// a part row times that `ssh -G` alone.
//
//   npm run bench -- config [--config-runs 15] [--hosts 1000] [--user-lines 5000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { HostEntry } from '../../src/core/ssh/hostEntry.js';
import { readBlock, setBlock } from '../../src/core/ssh/sshConfigBlock.js';
import { SshConfigFile } from '../../src/core/ssh/sshConfigFile.js';
import { verificationSample } from '../../src/core/ssh/sshConfigVerify.js';
import { runSshG } from '../../src/core/ssh/sshEffectiveConfig.js';
import type { Row } from '../lib/report.js';
import { figureMain, measure, numberOption, progress } from '../lib/report.js';

/** write + fsync + rename + directory fsync, synchronous: the least a durable replace costs. */
function floorWrite(file: string, text: string): void {
  const tmp = `${file}.floor-tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  fs.writeSync(fd, text);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  const dfd = fs.openSync(path.dirname(file), 'r');
  fs.fsyncSync(dfd);
  fs.closeSync(dfd);
}

export async function configFigures(): Promise<Row[]> {
  const runs = numberOption('config-runs', 15);
  const hosts = numberOption('hosts', 1000);
  const lines = numberOption('user-lines', 5000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-cfg-'));
  const state = path.join(dir, 'Application Support', 'runcode');
  try {
    const entries: HostEntry[] = Array.from({ length: hosts }, (_, i) => ({
      name: `workspace-${i}`,
      hostName: 'gateway.runcode.example.com',
      port: 2222,
      user: `ws-${i}`,
      identityFile: path.join(state, 'keys', `workspace-${i}`),
      knownHostsFile: path.join(state, 'known_hosts'),
      hostKeyAlias: `runcode-gateway.workspace-${i}`,
    }));
    const userLines: string[] = ['Include ~/.ssh/conf.d/*', ''];
    for (let n = userLines.length; userLines.length < lines; n = userLines.length)
      userLines.push(
        `Host host-${n}`,
        `  HostName 10.0.${(n >> 8) & 255}.${n & 255}`,
        '  User me',
        '  Port 22',
        '',
      );
    const userConfig = `${userLines.slice(0, lines).join('\n')}\n`;
    const withBlock = setBlock(userConfig, entries);

    const cfg = path.join(dir, '.ssh', 'config');
    const floorFile = path.join(dir, '.ssh', 'floor');
    fs.mkdirSync(path.dirname(cfg), { recursive: true, mode: 0o700 });
    const file = new SshConfigFile({ path: cfg, stateDir: state });
    const t = {
      write: [] as number[],
      edit: [] as number[],
      floor: [] as number[],
      parse: [] as number[],
      sshG: [] as number[],
      cpu: [] as number[],
    };
    progress(`config: ${runs} runs of each, ${hosts} hosts, ${lines}-line user config`);
    for (let i = -2; i < runs; i++) {
      fs.writeFileSync(cfg, userConfig);
      const c0 = process.cpuUsage();
      let t0 = performance.now();
      await file.apply(entries);
      const write = performance.now() - t0;
      const c = process.cpuUsage(c0);
      t0 = performance.now();
      await file.update((cur) =>
        cur.map((e, k) => (k === 0 ? { ...e, port: e.port === 2222 ? 2223 : 2222 } : e)),
      );
      const edit = performance.now() - t0;
      t0 = performance.now();
      floorWrite(floorFile, withBlock);
      const floor = performance.now() - t0;
      t0 = performance.now();
      readBlock(withBlock);
      const parse = performance.now() - t0;
      t0 = performance.now();
      const g = await runSshG('runcode.workspace-0', { configPath: cfg });
      const sshG = performance.now() - t0;
      if (g.code !== 0) throw new Error(`ssh -G failed on the written config: ${g.stderr}`);
      if (i < 0) continue; // warm-up
      t.write.push(write);
      t.edit.push(edit);
      t.floor.push(floor);
      t.parse.push(parse);
      t.sshG.push(sshG);
      t.cpu.push((c.user + c.system) / 1000);
    }
    await file.remove();
    if (fs.readFileSync(cfg, 'utf8') !== userConfig) throw new Error('remove did not restore the bytes');
    const ms = (xs: number[]) => measure(xs, 'ms');
    const kib = (Buffer.byteLength(withBlock) / 1024).toFixed(0);
    const asked = verificationSample(entries).length;
    return [
      {
        figure: `config block: ${hosts} workspaces written into a ${lines}-line config`,
        ours: ms(t.write),
        reference: ms(t.floor),
        target: '< 50 ms',
        met: ms(t.write).median < 50,
        note:
          `SshConfigFile.apply: lock, read, parse the user's file, splice the block (${kib} KiB in all), back up the original ` +
          `once, atomic write with fsync, rename, then \`ssh -G\` of the written file for ${asked} host${asked === 1 ? '' : 's'} (every changed ` +
          `host up to four, else one of each kind) while the replaced file is watched for late appends until 30 ms pass quiet, unlock; ` +
          `median (min-max) of ${runs}, one SshConfigFile for all rounds (as the tray keeps one). Reference: a bare durable ` +
          `replace of the same bytes (write, fsync, rename, fsync dir). CPU of the apply (this process, not ssh's): ` +
          `${measure(t.cpu, 'ms').median.toFixed(1)} ms. The edit finds the block this writer wrote and kept (not parsed ` +
          `again; a block written by someone else is parsed first: the read-back row).`,
      },
      {
        figure: `config block: ${lines}-line config edited (1 of ${hosts} entries changed)`,
        ours: ms(t.edit),
        reference: ms(t.floor),
        target: '< 50 ms',
        met: ms(t.edit).median < 50,
      },
      {
        figure: `  config part: read the ${hosts}-entry block back (parse + validate)`,
        ours: ms(t.parse),
        target: '-',
        met: null,
      },
      {
        figure: '  config part: one `ssh -G` of the written config (measured alone)',
        ours: ms(t.sshG),
        target: '-',
        met: null,
      },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await figureMain('config', configFigures);
