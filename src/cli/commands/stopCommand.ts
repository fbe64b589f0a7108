import type { Workspace } from '../../shared/protocol.js';
import { RuncodeError } from '../../core/errors.js';
import { withCliApp } from '../cliApp.js';
import { defineCommand, progress, workspaceOption } from '../defineCommand.js';
import { targetWorkspace } from '../ensureConnected.js';
import { secondsFlag } from '../numericFlag.js';

export const stopCommand = defineCommand({
  name: 'stop',
  usage: `usage: runcode stop [NAME] [-w NAME] [--no-wait] [--timeout S]

Powers a workspace down (the attached one when none is named): compute billing pauses, storage
persists, its SSH sessions and forwards end. Returns once it is stopped.

  -w, --workspace NAME   the workspace to stop (same as naming it)
  --no-wait              return at once, while it is still stopping
  --timeout S            how long to wait, in seconds (default 180)
`,
  options: { ...workspaceOption, 'no-wait': { type: 'boolean' }, timeout: { type: 'string' } },
  positionals: { min: 0, max: 1, names: ['NAME'] },
  run: ({ values, positionals: [given] }) => {
    const timeoutMs = secondsFlag('timeout', values.timeout, { fallback: 180 });
    return withCliApp(async (app) => {
      const name = await targetWorkspace(app, given, values.workspace);
      let ws = await app.stop(name);
      if (!values['no-wait'] && ws.state !== 'stopped') {
        progress(`${name}: ${ws.state}`);
        ws = await untilStopped(() => app.session.api().then((api) => api.getWorkspace(ws.id)), timeoutMs);
      }
      process.stdout.write(`${name}: ${ws.state}\n`);
      return 0;
    });
  },
});

/** Polls until the workspace is stopped (or failed); `timeout` after `timeoutMs`. */
async function untilStopped(read: () => Promise<Workspace>, timeoutMs: number): Promise<Workspace> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ws = await read();
    if (ws.state === 'stopped' || ws.state === 'failed') return ws;
    if (ws.state === 'starting' || ws.state === 'running') {
      throw new RuncodeError('conflict', `${ws.name} is ${ws.state} again (started meanwhile)`);
    }
    if (Date.now() >= deadline) {
      throw new RuncodeError('timeout', `${ws.name} is still ${ws.state} after ${timeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
