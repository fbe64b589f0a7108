// The ~/.ssh/config block at scale: a 1,000-workspace block in a 5,000-line user config.
// Run: npx tsx bench/configBlock.ts   (target: every step under 50 ms)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { HostEntry } from '../src/core/ssh/hostEntry.js';
import { readBlock, renderBlock, setBlock } from '../src/core/ssh/sshConfigBlock.js';
import { SshConfigFile } from '../src/core/ssh/sshConfigFile.js';

const TARGET_MS = 50;
const RUNS = 15;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-bench-cfg-'));
const state = path.join(dir, 'Application Support', 'runcode');

const entries: HostEntry[] = Array.from({ length: 1000 }, (_, i) => ({
  name: `workspace-${i}`,
  hostName: 'gateway.runcode.example.com',
  port: 2222,
  user: `ws-${i}`,
  identityFile: path.join(state, 'keys', `workspace-${i}`),
  knownHostsFile: path.join(state, 'known_hosts'),
  hostKeyAlias: 'runcode-gateway',
}));
const userLines: string[] = ['Include ~/.ssh/conf.d/*', ''];
while (userLines.length < 5000) {
  const n = userLines.length;
  userLines.push(
    `Host host-${n}`,
    `  HostName 10.0.${(n >> 8) & 255}.${n & 255}`,
    '  User me',
    '  Port 22',
    '',
  );
}
const userConfig = userLines.slice(0, 5000).join('\n') + '\n';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median wall time and median CPU time (the latter is stable on a busy machine; it leaves out fsync waits). */
async function time(
  label: string,
  fn: () => unknown,
  setup?: () => unknown,
): Promise<[string, number, number]> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await setup?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return [label, median(wall), median(cpu)];
}

const cfg = path.join(dir, '.ssh', 'config');
fs.mkdirSync(path.dirname(cfg), { recursive: true, mode: 0o700 });
const withBlock = setBlock(userConfig, entries);
const file = new SshConfigFile({ path: cfg, stateDir: state });
const results: Array<[string, number, number]> = [];
try {
  results.push(await time('render 1,000-entry block', () => renderBlock(entries)));
  results.push(await time('insert into 5,000-line config', () => setBlock(userConfig, entries)));
  results.push(await time('replace block in place', () => setBlock(withBlock, entries.slice(1))));
  results.push(await time('read block back (parse + validate)', () => readBlock(withBlock)));
  results.push(await time('remove block', () => setBlock(withBlock, [])));
  results.push(
    await time(
      'file apply (lock, read, write, fsync, rename)',
      () => file.apply(entries),
      () => fs.writeFileSync(cfg, userConfig),
    ),
  );
  results.push(await time('file apply, unchanged (no write)', () => file.apply(entries)));
  results.push(
    await time('file update: one entry changed', async () => {
      await file.update((cur) =>
        cur.map((e, i) => (i === 0 ? { ...e, port: e.port === 2222 ? 2223 : 2222 } : e)),
      );
    }),
  );
  results.push(
    await time(
      'file remove (restores the bytes)',
      () => file.remove(),
      () => file.apply(entries),
    ),
  );
  if (fs.readFileSync(cfg, 'utf8') !== userConfig) throw new Error('remove did not restore the bytes');
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

console.log(
  `config block benchmark: 1,000 workspaces, ${userConfig.split('\n').length - 1}-line user config`,
);
console.log(`block ${renderBlock(entries).length} bytes; median of ${RUNS} runs; target < ${TARGET_MS} ms`);
console.log(
  `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs (file steps include fsync)`,
);
console.log('          wall        cpu');
for (const [label, ms, cpuMs] of results) {
  const verdict = ms < TARGET_MS ? 'ok  ' : 'SLOW';
  console.log(`  ${verdict} ${ms.toFixed(2).padStart(7)} ms ${cpuMs.toFixed(2).padStart(7)} ms  ${label}`);
}
