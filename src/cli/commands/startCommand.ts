import { withCliApp } from '../cliApp.js';
import { defineCommand, progress } from '../defineCommand.js';
import { readyProgress } from '../readyProgress.js';

export const startCommand = defineCommand({
  name: 'start',
  usage: `usage: runcode start NAME [--wait] [--timeout S]

Boots a stopped workspace. With --wait, returns once it is running.
`,
  options: { wait: { type: 'boolean' }, timeout: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  run: ({ values, positionals: [name] }) =>
    withCliApp(async (app) => {
      const ws = await app.start(name!);
      progress(`${name}: ${ws.state}`);
      if (values.wait && ws.state !== 'running') {
        await app.waitReady(name!, {
          probe: false,
          timeoutMs: seconds(values.timeout),
          onProgress: readyProgress(name!),
        });
      }
      process.stdout.write(`${name}: ${values.wait ? 'running' : ws.state}\n`);
      return 0;
    }),
});

export function seconds(v: string | undefined, fallback = 180): number {
  const n = v === undefined ? fallback : Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 3600) return fallback * 1000;
  return n * 1000;
}
