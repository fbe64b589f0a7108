import { withCliApp } from '../cliApp.js';
import { defineCommand, progress } from '../defineCommand.js';
import { workspaceName } from '../ensureConnected.js';
import { secondsFlag } from '../numericFlag.js';
import { readyProgress } from '../readyProgress.js';

export const startCommand = defineCommand({
  name: 'start',
  usage: `usage: runcode start NAME [--no-wait] [--timeout S]

Boots a stopped workspace without attaching it, and returns once it is running.

  --no-wait     return at once, while it is still starting
  --timeout S   how long to wait, in seconds (default 180)
`,
  // --wait is the default now; still accepted so scripts written for it keep working.
  options: { 'no-wait': { type: 'boolean' }, wait: { type: 'boolean' }, timeout: { type: 'string' } },
  positionals: { min: 1, max: 1, names: ['NAME'] },
  run: ({ values, positionals: [given] }) => {
    const name = workspaceName(given);
    const timeoutMs = secondsFlag('timeout', values.timeout, { fallback: 180 });
    return withCliApp(async (app) => {
      let ws = await app.start(name);
      if (!values['no-wait'] && ws.state !== 'running') {
        progress(`${name}: ${ws.state}`);
        ws = await app.waitReady(name, { probe: false, timeoutMs, onProgress: readyProgress(name) });
      }
      process.stdout.write(`${name}: ${ws.state}\n`);
      return 0;
    });
  },
});
