import { tryLog } from '../../core/logs/processLog.js';
import { withCliApp } from '../cliApp.js';
import { defineCommand, progress as say } from '../defineCommand.js';

/** The agent runs for hours: what it says goes to its log too (`runcode logs`). */
function progress(line: string): void {
  say(line);
  tryLog('cli', 'info', `agent: ${line}`);
}

/**
 * Local wall-clock time, HH:MM:SS. Not toLocaleTimeString(): that loads ICU's locale and time
 * zone data (~8 MB resident) into a process meant to sit in the background for hours.
 */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

export const agentCommand = defineCommand({
  name: 'agent',
  usage: `usage: runcode agent

Keeps every connected workspace's pass fresh, in the foreground, until Ctrl-C. Picks up
workspaces connected or disconnected meanwhile (by the tray or another runcode).
`,
  options: {},
  run: () =>
    withCliApp(async (app) => {
      const refresher = await app.startRefresher(
        (r) => {
          const next = clockTime(r.nextAt);
          if (r.ok)
            progress(`${r.name}: pass renewed until ${clockTime(r.pass!.expiresAt)}; next at ${next}`);
          else progress(`${r.name}: renewal failed (${r.error?.message}); retrying at ${next}`);
        },
        (repaired) => progress(`repaired what an interrupted run left: ${repaired.join(', ')}`),
      );
      const stopWatching = app.watchConnections();
      progress(`keeping ${refresher.tracked().length} workspace pass(es) fresh; Ctrl-C to stop`);
      await new Promise<void>((resolve) => {
        const keepAlive = setInterval(() => undefined, 1 << 30);
        const stop = () => {
          clearInterval(keepAlive);
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      stopWatching();
      progress('agent stopped');
      return 0;
    }),
});
