// `connect` against the real local server (own process): fresh key, pass, pin, record and config
// entry (RuncodeApp.connect, what `runcode connect NAME` and the tray's Connect run), then
// `ssh runcode.NAME true` through the written config, split into its parts. The reference, in the
// same rounds: one control-plane round trip (GET /api/v1/me on the same client) and, for the
// whole chain, that round trip plus `ssh runcode.NAME true` on an alias already connected.
//
//   npm run bench -- connect [--connect-rounds 30]
import '../lib/quietHome.js';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ConnectionsDeps } from '../../src/core/app/connections.js';
import { ownSshConfigPath } from '../../src/core/paths.js';
import { atomicWrite } from '../../src/core/fs/atomicWrite.js';
import { generateEd25519KeyPair } from '../../src/core/ssh/opensshKey.js';
import { benchCore, startAll, startLocalServer, workspaceDefs } from '../lib/localServer.js';
import type { Measure, Row } from '../lib/report.js';
import { figureMain, measure, numberOption, progress } from '../lib/report.js';

const PARTS = [
  'find workspace (GET list)',
  'config check (read)',
  'pass request (POST ssh-pass)',
  'files (key, pin, record)',
  'config write',
] as const;
type Part = (typeof PARTS)[number];

type Spans = Map<Part, Array<[number, number]>>;

/** The files a connect replaces durably: key, .pub, known_hosts pin, connections.json, ssh config. */
const DURABLE_WRITES = 5;

/** Replaces obj[method] with a version that records when each call ran, under `part`. */
function timed<T extends object>(obj: T, method: keyof T & string, part: Part, spans: Spans): void {
  const orig = (obj[method] as (...a: unknown[]) => Promise<unknown>).bind(obj);
  (obj as Record<string, unknown>)[method] = async (...a: unknown[]) => {
    const t0 = performance.now();
    try {
      return await orig(...a);
    } finally {
      spans.set(part, [...(spans.get(part) ?? []), [t0, performance.now()]]);
    }
  };
}

/** Wall time covered by the spans (calls that overlap, as the key and the pin do, count once). */
function covered(spans: Array<[number, number]> = []): number {
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of [...spans].sort((x, y) => x[0] - y[0])) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

function sshTrue(config: string, home: string, alias: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
    delete env.SSH_AUTH_SOCK;
    const p = spawn('ssh', ['-F', config, '-o', 'BatchMode=yes', alias, 'true'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0
        ? resolve(performance.now() - t0)
        : reject(new Error(`ssh ${alias} true exited ${code}: ${err}`)),
    );
  });
}

export async function connectFigures(): Promise<Row[]> {
  const rounds = numberOption('connect-rounds', 30);
  const server = await startLocalServer(workspaceDefs(2));
  const core = await benchCore(server);
  try {
    const { app } = core;
    await startAll(app);
    const api = await app.session.api();
    const parts: Spans = new Map();
    timed(api, 'listWorkspaces', 'find workspace (GET list)', parts);
    timed(api, 'createSshPass', 'pass request (POST ssh-pass)', parts);
    // The own file (<state>/ssh_config) is written always, the user's only after the opt-in.
    for (const file of [app.configFile, app.ownConfigFile]) {
      timed(file, 'read', 'config check (read)', parts);
      timed(file, 'update', 'config write', parts);
    }
    timed(app.keys, 'save', 'files (key, pin, record)', parts);
    timed(app.knownHosts, 'pin', 'files (key, pin, record)', parts);
    const store = (app.connections as unknown as { d: ConnectionsDeps }).d.store;
    timed(store, 'put', 'files (key, pin, record)', parts);

    // ws-1 stays connected: the reference's `ssh true` runs on it.
    await app.connect('ws-1');
    const series = {
      rtt: [] as number[],
      connect: [] as number[],
      ssh: [] as number[],
      refSsh: [] as number[],
      keygen: [] as number[],
      disk: [] as number[],
      other: [] as number[],
      ...Object.fromEntries(PARTS.map((p) => [p, [] as number[]])),
    } as Record<string, number[]>;
    progress(`connect: ${rounds} rounds (+2 warm-up) of connect + ssh true, interleaved with the references`);
    for (let r = -2; r < rounds; r++) {
      await app.disconnect('ws-0');
      const t0 = performance.now();
      await api.me();
      const rtt = performance.now() - t0;
      parts.clear();
      const t1 = performance.now();
      await app.connect('ws-0');
      const connect = performance.now() - t1;
      // The two ssh runs alternate which goes first; both through the config connect wrote.
      const config = ownSshConfigPath(core.stateDir);
      let ssh: number;
      let refSsh: number;
      if (r % 2 === 0) {
        ssh = await sshTrue(config, core.home, 'runcode.ws-0');
        refSsh = await sshTrue(config, core.home, 'runcode.ws-1');
      } else {
        refSsh = await sshTrue(config, core.home, 'runcode.ws-1');
        ssh = await sshTrue(config, core.home, 'runcode.ws-0');
      }
      const k0 = performance.now();
      generateEd25519KeyPair('bench');
      const keygen = performance.now() - k0;
      // The disk's part, in this round: the durable replaces a connect makes (key, .pub, pin,
      // record, our ssh config), each written, fsynced, renamed, its directory fsynced.
      const d0 = performance.now();
      for (let k = 0; k < DURABLE_WRITES; k++)
        await atomicWrite(path.join(core.stateDir, `bench-floor-${k}`), 'x'.repeat(1024), { mode: 0o600 });
      const disk = performance.now() - d0;
      if (r < 0) continue;
      series.rtt!.push(rtt);
      series.connect!.push(connect);
      series.ssh!.push(ssh);
      series.refSsh!.push(refSsh);
      series.keygen!.push(keygen);
      series.disk!.push(disk);
      let known = 0;
      for (const p of PARTS) {
        series[p]!.push(covered(parts.get(p)));
        known += covered(parts.get(p));
      }
      series.other!.push(connect - known);
    }
    const ms = (xs: number[]): Measure => measure(xs, 'ms');
    const rtt = ms(series.rtt!);
    const connect = ms(series.connect!);
    const whole = ms(series.connect!.map((c, i) => c + series.ssh![i]!));
    const refWhole = ms(series.rtt!.map((x, i) => x + series.refSsh![i]!));
    const requests =
      ms(series['pass request (POST ssh-pass)']!).median + ms(series['find workspace (GET list)']!).median;
    const ownWork = connect.median - requests;
    const part = (label: string, key: string, note?: string): Row => ({
      figure: `  connect part: ${label}`,
      ours: ms(series[key]!),
      target: '-',
      met: null,
      ...(note ? { note } : {}),
    });
    return [
      {
        figure: 'connect (key, pass, entry): ours vs one control-plane round trip',
        ours: connect,
        reference: rtt,
        target: '<= ref + 20 ms',
        met: connect.median <= rtt.median + 20,
        note:
          `RuncodeApp.connect on a running workspace (what \`runcode connect NAME\` and the tray's Connect run), ${rounds} rounds, ` +
          `each after an untimed disconnect; reference GET /api/v1/me on the same HTTPS client. It makes two requests ` +
          `(the workspace list, to find the id by name, then the pass) together ${requests.toFixed(1)} ms; our own work ` +
          `(keygen, validation, files, config) about ${ownWork.toFixed(1)} ms.`,
      },
      {
        figure: 'connect until `ssh runcode.NAME true` succeeds',
        ours: whole,
        reference: refWhole,
        target: '<= ref + 20 ms',
        met: whole.median <= refWhole.median + 20,
        note:
          'Reference: the round trip plus `ssh runcode.NAME true` on a workspace already connected (OpenSSH process start, ' +
          'handshake through the gateway, exec of `true`): the floor a connect cannot go under. The server runs with an empty ' +
          "HOME (lib/quietHome.ts): the bench machine's ~/.bashrc (pyenv init) used to put 100-150 ms, and lock waits of " +
          'seconds, into every `ssh NAME true`. The connect row above is the part that is ours.',
      },
      part('find workspace (GET list)', 'find workspace (GET list)'),
      part(
        'pass request (POST ssh-pass)',
        'pass request (POST ssh-pass)',
        'The local server writes its state file (fsync) on every pass it grants; GET /me writes nothing.',
      ),
      part('keygen (ed25519, measured alone)', 'keygen'),
      part('config check (read)', 'config check (read)'),
      part('files (key, pin, record)', 'files (key, pin, record)'),
      part(
        `the disk alone: ${DURABLE_WRITES} durable replaces (measured alone)`,
        'disk',
        `What the key, its .pub, the pin, the record and our ssh config cost as bare atomic writes (write, fsync, rename, ` +
          `fsync of the directory) on this disk in the same rounds: the floor of the files and config parts, which moves ` +
          `with the machine's I/O load.`,
      ),
      part('config write', 'config write'),
      part('rest (keygen, validation, bookkeeping)', 'other'),
      part('first `ssh runcode.NAME true`', 'ssh'),
    ];
  } finally {
    await core.dispose();
    await server.close();
  }
}

await figureMain('connect', connectFigures);
