import { withCliApp } from '../cliApp.js';
import { defineCommand, progress } from '../defineCommand.js';
import { seconds } from './startCommand.js';

export const connectCommand = defineCommand({
  name: 'connect',
  usage: `usage: runcode connect NAME [--start] [--wait] [--timeout S] [--json]

Attaches a workspace: a fresh key made on this machine, a short-lived pass for it with the
gateway's host key pinned, and a \`Host runcode.NAME\` entry in your ssh config.

  --start    boot the workspace first if it is stopped
  --wait     return only once SSH actually answers
`,
  options: {
    start: { type: 'boolean' },
    wait: { type: 'boolean' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
  run: ({ values, positionals: [name] }) =>
    withCliApp(async (app) => {
      const { alias, workspace, record } = await app.connect(name!, {
        start: values.start ?? false,
        wait: values.wait ?? false,
        timeoutMs: seconds(values.timeout),
        onProgress: progress,
      });
      if (values.json) {
        process.stdout.write(
          `${JSON.stringify({ alias, command: `ssh ${alias}`, workdir: workspace.workdir, expiresAt: record.pass.expiresAt }, null, 2)}\n`,
        );
      } else {
        progress(`connected; the pass is renewed while \`runcode agent\` (or the tray) runs`);
        process.stdout.write(`ssh ${alias}\n`);
      }
      return 0;
    }),
});
