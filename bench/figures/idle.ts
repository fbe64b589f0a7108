// Idle: what the tray's core does when nothing happens. In this one process: the TrayController
// (live feed over SSE, refresher, connection watch, forwards) signed in to the real local server
// (own process), 10 workspaces connected, 5 forwards on 5 of them (each used once, then left).
// Over the window (default 60 s, --idle-seconds), every setTimeout/setInterval callback is counted
// and attributed, and the main thread's context switches (every wakeup, I/O too) are read from
// /proc. Reference: the SSE heartbeat, one every 15 s.
//
//   npm run bench -- idle [--idle-seconds 60]
import http from 'node:http';
import type { Row } from '../lib/report.js';
import {
  installTimerCounter,
  mainThreadCpuMs,
  mainThreadSwitches,
  startCounting,
  stopCounting,
  wakeups,
} from '../lib/timerCounter.js';

installTimerCounter(); // before any code under test creates a timer

const { TrayController } = await import('../../src/core/tray/trayController.js');
const { freePort } = await import('../lib/forwardPaths.js');
const { benchCore, startAll, startLocalServer, workspaceDefs } = await import('../lib/localServer.js');
const { cpuMs, figureMain, numberOption, progress, single } = await import('../lib/report.js');

const HEARTBEAT_S = 15;

function get(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      })
      .on('error', reject);
  });
}

export async function idleFigures(): Promise<Row[]> {
  const seconds = numberOption('idle-seconds', 60);
  const ports = await Promise.all(Array.from({ length: 5 }, () => freePort()));
  const server = await startLocalServer(
    workspaceDefs(10, (i) =>
      i < 5
        ? {
            ports: [{ port: ports[i]! }],
            services: [{ type: 'static-http', port: ports[i]!, body: 'hello\n' }],
          }
        : {},
    ),
  );
  const core = await benchCore(server);
  const tray = new TrayController({ app: core.app, openUrl: async () => undefined });
  try {
    await startAll(core.app);
    for (let i = 0; i < 10; i++) await core.app.connect(`ws-${i}`);
    await tray.start();
    for (let i = 0; i < 5; i++) {
      const f = await tray.forwards.toggle(`ws-${i}`, ports[i]!, true);
      if (!f.localPort) throw new Error(`forward ws-${i}:${ports[i]} has no local port`);
      await get(f.localPort);
    }
    if (tray.session.view().liveMode !== 'stream')
      progress(`  live mode is ${tray.session.view().liveMode}, not stream`);
    await new Promise((r) => setTimeout(r, 3000)); // let the stats timers and the first GC settle
    progress(`idle: ${seconds} s with 10 workspaces connected and 5 forwards, nothing happening`);
    const s0 = mainThreadSwitches();
    const c0 = process.cpuUsage();
    const m0 = mainThreadCpuMs();
    const t0 = performance.now();
    startCounting();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const fires = stopCounting().slice(0, -1); // the window's own timer is the last
    const elapsed = (performance.now() - t0) / 60_000;
    const switches = (mainThreadSwitches() - s0) / elapsed;
    const cpu = cpuMs(c0) / elapsed;
    const mainCpu = (mainThreadCpuMs() - m0) / elapsed;
    const byOrigin = new Map<string, number>();
    for (const f of fires) byOrigin.set(f.origin, (byOrigin.get(f.origin) ?? 0) + 1);
    const breakdown = [...byOrigin]
      .sort((a, b) => b[1] - a[1])
      .map(([o, n]) => `${o} ${(n / elapsed).toFixed(1)}/min`)
      .join('; ');
    const perMin = wakeups(fires) / elapsed;
    const ref = 60 / HEARTBEAT_S;
    return [
      {
        figure: 'idle: timer wakeups/min (10 connected, 5 forwards) vs SSE heartbeat',
        ours: single(perMin, '/min', 1),
        reference: single(ref, '/min', 1),
        target: '<= 1.00x',
        met: perMin <= ref,
        note:
          `setTimeout/setInterval callbacks counted in-process over ${seconds} s (scaled to a minute); callbacks in the same ` +
          `loop turn count once (${fires.length} callbacks). By origin: ${breakdown || 'none'}.`,
      },
      {
        figure: '  idle: main-thread wakeups/min (timers and I/O)',
        ours: single(switches, '/min', 0),
        target: '-',
        met: null,
        note:
          'Voluntary context switches of the main thread (/proc/self/task/PID/status): every return from epoll, so also ' +
          'the SSE heartbeat arriving, keepalive replies, and libuv thread-pool completions.',
      },
      {
        figure: '  idle: process CPU',
        ours: single(cpu, 'ms/min', 0),
        target: '-',
        met: null,
        note: `Of which the main thread (our code, ssh2, the event loop): ${mainCpu.toFixed(0)} ms/min; the rest is V8's and libuv's own threads (garbage collection, compilation).`,
      },
    ];
  } finally {
    await tray.dispose();
    await core.dispose();
    await server.close();
  }
}

await figureMain('idle', idleFigures);
