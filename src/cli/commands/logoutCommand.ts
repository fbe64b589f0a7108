import { withCliApp } from '../cliApp.js';
import { defineCommand } from '../defineCommand.js';

export const logoutCommand = defineCommand({
  name: 'logout',
  usage: `usage: runcode logout

Revokes this machine's passes and token, deletes its keys and pinned host keys, and removes the
RunCode block from your ssh config.
`,
  options: {},
  run: () =>
    withCliApp(async (app) => {
      const n = (await app.connections.list().catch(() => [])).length;
      await app.signOut();
      process.stdout.write(
        `Signed out; ${n} connection${n === 1 ? '' : 's'} removed and the ssh config block taken out.\n`,
      );
      return 0;
    }),
});
