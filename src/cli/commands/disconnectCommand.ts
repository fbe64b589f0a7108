import { withCliApp } from '../cliApp.js';
import { defineCommand } from '../defineCommand.js';

export const disconnectCommand = defineCommand({
  name: 'disconnect',
  usage: `usage: runcode disconnect NAME

Detaches a workspace: revokes its pass, deletes its key and pinned host key, and removes its
entry from your ssh config.
`,
  options: {},
  positionals: { min: 1, max: 1 },
  run: ({ positionals: [name] }) =>
    withCliApp(async (app) => {
      await app.disconnect(name!);
      process.stdout.write(`${name}: disconnected\n`);
      return 0;
    }),
});
