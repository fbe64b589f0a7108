import { readAttached, writeAttached } from '../../core/state/attachment.js';
import { withCliApp } from '../cliApp.js';
import { defineCommand, progress } from '../defineCommand.js';
import { workspaceName } from '../ensureConnected.js';
import { secondsFlag } from '../numericFlag.js';

export const connectCommand = defineCommand({
  name: 'connect',
  usage: `usage: runcode connect NAME [--start] [--wait] [--timeout S] [--json]

Attaches a workspace: a fresh key made on this machine, a short-lived pass for it with the
gateway's host key pinned, and a \`Host runcode.NAME\` entry in RunCode's own ssh config (your
~/.ssh/config too, once you opted in with \`runcode config-ssh\`). From then on exec, put, get,
port-forward, stop and disconnect act on it when no workspace is named.

  --start       boot the workspace first if it is stopped
  --wait        return only once SSH actually answers
  --timeout S   how long to wait for it, in seconds (default 180)
  --json        print the alias, ssh command, workdir and pass expiry as JSON
`,
  options: {
    start: { type: 'boolean' },
    wait: { type: 'boolean' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: { min: 1, max: 1, names: ['NAME'] },
  run: ({ values, positionals: [given] }) => {
    const name = workspaceName(given);
    const timeoutMs = secondsFlag('timeout', values.timeout, { fallback: 180 });
    return withCliApp(async (app) => {
      // A damaged attached.json fails here, before a key, pass or entry is made.
      await readAttached(app.opts.stateDir);
      const { alias, workspace, record } = await app.connect(name, {
        start: values.start ?? false,
        wait: values.wait ?? false,
        timeoutMs,
        onProgress: progress,
      });
      await writeAttached(app.opts.stateDir, name);
      if (values.json) {
        process.stdout.write(
          `${JSON.stringify({ alias, command: `ssh ${alias}`, workdir: workspace.workdir, expiresAt: record.pass.expiresAt }, null, 2)}\n`,
        );
      } else {
        progress(`attached ${name}; the pass is renewed while \`runcode agent\` (or the tray) runs`);
        process.stdout.write(`ssh ${alias}\n`);
      }
      return 0;
    });
  },
});
