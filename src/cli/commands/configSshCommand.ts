import { previewSshConfigOptIn, setSshConfigOptIn } from '../../core/app/sshConfigOptIn.js';
import { withCliApp } from '../cliApp.js';
import { defineCommand } from '../defineCommand.js';

export const configSshCommand = defineCommand({
  name: 'config-ssh',
  usage: `usage: runcode config-ssh [--remove] [--dry-run]

The one opt-in change to your own ssh config: a delimited, backed-up block with a
\`Host runcode.NAME\` entry per connected workspace, for the tools that read ~/.ssh/config
themselves (VS Code Remote-SSH, Cursor, Zed, JetBrains Gateway, git). From then on the block
follows every connect and disconnect, by the CLI or the tray. RunCode's own commands never need
it: they use RunCode's own ssh config.

  --remove    take the block out again and stop keeping it (your file goes back to its bytes)
  --dry-run   print the change as a diff instead of making it
`,
  options: { remove: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  run: ({ values }) =>
    withCliApp(async (app) => {
      const on = !values.remove;
      if (values['dry-run']) {
        const { diff } = await previewSshConfigOptIn(app, on);
        process.stdout.write(diff || `no change to ${app.configFile.path}\n`);
        return 0;
      }
      const r = await setSshConfigOptIn(app, on);
      const what = on ? `${r.hosts} host${r.hosts === 1 ? '' : 's'} in` : 'block removed from';
      process.stdout.write(`${r.changed ? '' : 'unchanged: '}${what} ${r.path}\n`);
      if (on && r.hosts === 0) {
        process.stderr.write('no workspace is connected yet: `runcode connect NAME` adds its entry\n');
      }
      return 0;
    }),
});
