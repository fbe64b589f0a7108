import type { ForwardInfo, ForwardState, WantedForward } from '../../core/forwards/forward.js';
import { ForwardManager } from '../../core/forwards/forwardManager.js';
import { withCliApp } from '../cliApp.js';
import { defineCommand, progress, UsageError, workspaceOption } from '../defineCommand.js';
import { shown } from '../displayText.js';
import { ensureConnected, targetWorkspace } from '../ensureConnected.js';
import { isPort } from '../../shared/port.js';

export const portForwardCommand = defineCommand({
  name: 'port-forward',
  usage: `usage: runcode port-forward PORT[:LOCAL]... [-w NAME]

Exposes each PORT of the attached workspace (a dev server, say) on this machine's
127.0.0.1:LOCAL until Ctrl-C. Without LOCAL it listens on the same port number, or the next free
one if that is taken. Prints one line per forward:
  http://127.0.0.1:LOCAL -> NAME:PORT
State changes (reconnecting, active) go to stderr. While it runs, the passes of your connected
workspaces are kept fresh, so the forwards come back after network loss or a gateway restart.

  -w, --workspace NAME   forward another workspace's ports
`,
  options: { ...workspaceOption },
  positionals: { min: 1, max: 64, names: ['PORT'] },
  run: async ({ values, positionals: specs }) => {
    // Checked before anything connects: a bad spec changes nothing.
    specs.forEach((s) => parsePortSpec('-', s));
    return withCliApp(async (app) => {
      const ws = await targetWorkspace(app, values.workspace);
      const wanted = specs.map((s) => parsePortSpec(ws, s));
      await ensureConnected(app, ws);
      // The ssh2 connection re-reads the pass on every reconnect; this keeps that pass fresh.
      await app.startRefresher((r) => {
        if (r.name === ws && !r.ok) progress(`${ws}: pass renewal failed (${r.error?.message}); will retry`);
      });
      const unwatch = app.watchConnections();
      // No event stream here to tick the shared keepalive: its own timer pings every 7.5 s, so a
      // gateway that stops answering is said within ~15 s (one missed reply).
      const forwards = new ForwardManager({
        getTarget: (w) => app.connections.target(w),
        keepaliveMs: 7_500,
      });
      const stopped = untilSignal();
      // Each forward starts as `starting`; only changes after that are news.
      const states = new Map<number, ForwardState>(wanted.map((w) => [w.remotePort, 'starting']));
      const unsubscribe = forwards.subscribe((e) => {
        if (e.type !== 'changed') return;
        const f = e.forward;
        if (states.get(f.remotePort) === f.state) return;
        states.set(f.remotePort, f.state);
        progress(stateLine(f));
      });
      try {
        for (const w of wanted) {
          const f = await forwards.add(w);
          const asked = w.localPort ?? w.remotePort;
          const note = f.localPort !== asked ? ` (${asked} is taken)` : '';
          process.stdout.write(`http://127.0.0.1:${f.localPort} -> ${ws}:${f.remotePort}${note}\n`);
        }
        progress('forwarding; Ctrl-C stops');
        await stopped.promise;
        progress('stopping...');
        return 0;
      } finally {
        stopped.dispose();
        unsubscribe();
        unwatch();
        await forwards.dispose();
      }
    });
  },
});

/** `PORT` or `PORT:LOCAL`, each 1-65535; anything else is a usage error. */
export function parsePortSpec(workspace: string, spec: string): WantedForward {
  const m = /^(\d{1,5})(?::(\d{1,5}))?$/.exec(spec);
  const remotePort = Number(m?.[1]);
  const localPort = m?.[2] === undefined ? undefined : Number(m[2]);
  if (!m || !isPort(remotePort) || (localPort !== undefined && !isPort(localPort))) {
    throw new UsageError(`'${shown(spec, 40)}' is not PORT or PORT:LOCAL (ports 1-65535)`);
  }
  return localPort === undefined ? { workspace, remotePort } : { workspace, remotePort, localPort };
}

function stateLine(f: ForwardInfo): string {
  // The reason ends with the port picker's note when the local port differs; that was said once.
  const reason = f.reason?.replace(/(^|; )\d+ (and the ports after it )?(was|were) taken; using \d+$/, '');
  return `${f.workspace}:${f.remotePort}: ${f.state}${reason ? ` (${reason})` : ''}`;
}

/** Resolves on the first SIGINT or SIGTERM (then exit 0 after cleanup, not the default death). */
function untilSignal(): { promise: Promise<void>; dispose(): void } {
  let done = (): void => undefined;
  const promise = new Promise<void>((resolve) => (done = resolve));
  const on = (): void => done();
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return {
    promise,
    dispose: () => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    },
  };
}
