// Time to recover after an outage: the real local server with one connected workspace and the
// core's refresher running (as `runcode agent` runs it), passes short-lived. Each round stops the
// server (SIGTERM) until the workspace's pass has expired, restarts it on the same ports with the
// same data dir (workspace, tokens, host key survive), and measures from its ready line to the
// first successful renewal and to the first `ssh -F <own config> runcode.ws-0 true` that works.
// No event stream here: the refresher's own retries after expiry (every 2-4 s, jittered) are what
// is measured; the tray also retries at once when its stream reconnects.
//
//   npm run bench -- recovery [--recovery-rounds 3] [--recovery-ttl 10]
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { ownSshConfigPath } from '../../src/core/paths.js';
import type { RenewResult } from '../../src/core/refresh/refresher.js';
import type { LocalServer } from '../lib/localServer.js';
import { benchCore, startAll, startLocalServer, workspaceDefs } from '../lib/localServer.js';
import type { Row } from '../lib/report.js';
import { figureMain, measure, numberOption, progress } from '../lib/report.js';

const GOAL_MS = 3000;
/** Give up on a round this long after the restart's ready line. */
const ROUND_LIMIT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sshTrue(config: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    const p = spawn(
      'ssh',
      ['-F', config, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', 'runcode.ws-0', 'true'],
      { env, stdio: 'ignore' },
    );
    const kill = setTimeout(() => p.kill('SIGKILL'), 10_000);
    p.on('error', () => resolve(false));
    p.on('close', (code) => {
      clearTimeout(kill);
      resolve(code === 0);
    });
  });
}

export async function recoveryFigures(): Promise<Row[]> {
  const rounds = numberOption('recovery-rounds', 3);
  const ttl = numberOption('recovery-ttl', 10);
  let server: LocalServer = await startLocalServer(workspaceDefs(1), { passTtlSeconds: ttl });
  const core = await benchCore(server);
  try {
    const { app } = core;
    await startAll(app);
    const [ws] = await app.listWorkspaces();
    await app.connections.connect(ws!);
    const config = ownSshConfigPath(core.stateDir);
    const env = { ...process.env, HOME: core.home };
    if (!(await sshTrue(config, env)))
      throw new Error('ssh to the connected workspace failed before the outage');

    let lastExpiry = 0;
    let failures = 0;
    let renewedAt: number | undefined;
    await app.startRefresher((r: RenewResult) => {
      if (r.ok) {
        lastExpiry = Math.max(lastExpiry, r.pass!.expiresAt);
        renewedAt ??= performance.now();
      } else failures++;
    });
    // The pass the connect issued counts too.
    lastExpiry = Math.max(lastExpiry, Date.now() + ttl * 1000);

    const renewal: number[] = [];
    const ssh: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const stopped = await server.stop();
      const f0 = failures;
      // Down until the pass has expired (and a little more), so ssh is refused until a renewal.
      const downUntil = Math.max(lastExpiry + 1000, Date.now() + ttl * 1000);
      progress(
        `recovery round ${round + 1}: server down for ${((downUntil - Date.now()) / 1000).toFixed(1)} s`,
      );
      await sleep(downUntil - Date.now());
      renewedAt = undefined;
      server = await stopped.restart();
      const ready = performance.now();
      let sshAt: number | undefined;
      let refusedFirst = false;
      for (let attempt = 0; performance.now() - ready < ROUND_LIMIT_MS; attempt++) {
        const ok = await sshTrue(config, env);
        if (ok) {
          sshAt = performance.now();
          break;
        }
        if (attempt === 0) refusedFirst = true;
        await sleep(100);
      }
      while (renewedAt === undefined && performance.now() - ready < ROUND_LIMIT_MS) await sleep(20);
      if (renewedAt === undefined || sshAt === undefined)
        throw new Error(`round ${round + 1}: not recovered ${ROUND_LIMIT_MS / 1000} s after the restart`);
      if (failures === f0)
        progress('  (no renewal failed during the outage: the pass may not have been due)');
      if (!refusedFirst) progress('  (ssh worked at once after the restart: the outage did not show)');
      renewal.push(renewedAt - ready);
      ssh.push(sshAt - ready);
      progress(
        `  renewed ${(renewal.at(-1)! / 1000).toFixed(2)} s, ssh ${(ssh.at(-1)! / 1000).toFixed(2)} s after ready (${failures - f0} failed renewals while down)`,
      );
    }
    const r = measure(renewal, 'ms', 0);
    const s = measure(ssh, 'ms', 0);
    return [
      {
        figure: 'recovery: server restarted after passes expired, first renewal after its ready line',
        ours: r,
        target: `< ${GOAL_MS / 1000} s`,
        met: r.max < GOAL_MS,
        note:
          `${rounds} rounds; passes of ${ttl} s, server stopped (SIGTERM) until the pass had expired plus 1 s, ` +
          `restarted on the same ports with the same data dir. Stands for the issue's 30 s outage: once the pass ` +
          `has expired the refresher retries every 2-4 s (jittered) whatever the length of the outage. No event ` +
          `stream in this core; the tray also retries at once when its stream reconnects. Met = every round under the goal; a retry can land up to 4 s after ready, so a round may miss.`,
      },
      {
        figure: '  recovery: first `ssh -F <own config> runcode.NAME true` that works, after ready',
        ours: s,
        target: `< ${GOAL_MS / 1000} s`,
        met: s.max < GOAL_MS,
        note: 'ssh tried in a loop from the ready line (100 ms apart); a refused attempt costs a handshake.',
      },
    ];
  } finally {
    await core.dispose().catch(() => undefined);
    await server.close();
  }
}

await figureMain('recovery', recoveryFigures);
