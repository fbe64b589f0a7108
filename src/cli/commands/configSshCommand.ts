import { withCliApp } from '../cliApp.js';
import { defineCommand } from '../defineCommand.js';

export const configSshCommand = defineCommand({
  name: 'config-ssh',
  usage: `usage: runcode config-ssh [--remove] [--dry-run]

Writes one delimited, backed-up block to your ssh config with a \`Host runcode.NAME\` entry per
connected workspace (\`runcode connect NAME\` adds one), so your own tools reach them.

  --remove    take the block out again (your file goes back to its original bytes)
  --dry-run   print the change as a diff instead of making it
`,
  options: { remove: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  run: ({ values }) =>
    withCliApp(async (app) => {
      const entries = values.remove
        ? []
        : (await app.connections.list()).map((r) => app.connections.entry(r));
      if (values['dry-run']) {
        const { diff } = await app.configFile.preview(entries);
        process.stdout.write(diff || `no change to ${app.configFile.path}\n`);
        return 0;
      }
      const change = await app.configFile.apply(entries);
      const what = values.remove
        ? 'block removed from'
        : `${entries.length} host${entries.length === 1 ? '' : 's'} in`;
      process.stdout.write(`${change.changed ? '' : 'unchanged: '}${what} ${change.path}\n`);
      if (!values.remove && entries.length === 0) {
        process.stderr.write('no workspace is connected yet: `runcode connect NAME` adds its entry\n');
      }
      return 0;
    }),
});
