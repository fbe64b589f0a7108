import { withCliApp } from '../cliApp.js';
import { defineCommand } from '../defineCommand.js';

export const stopCommand = defineCommand({
  name: 'stop',
  usage: `usage: runcode stop NAME

Powers a workspace down (its SSH sessions and forwards end; storage persists).
`,
  options: {},
  positionals: { min: 1, max: 1 },
  run: ({ positionals: [name] }) =>
    withCliApp(async (app) => {
      const ws = await app.stop(name!);
      process.stdout.write(`${name}: ${ws.state}\n`);
      return 0;
    }),
});
