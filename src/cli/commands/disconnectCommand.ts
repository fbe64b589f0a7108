import { detachIfAttached } from '../../core/state/attachment.js';
import { withCliApp } from '../cliApp.js';
import { defineCommand, workspaceOption } from '../defineCommand.js';
import { targetWorkspace } from '../ensureConnected.js';

export const disconnectCommand = defineCommand({
  name: 'disconnect',
  usage: `usage: runcode disconnect [NAME] [-w NAME]

Detaches a workspace (the attached one when none is named): revokes its pass, deletes its key and
pinned host key, and removes its ssh config entry. Work goes back to your local machine.

  -w, --workspace NAME   the workspace to disconnect (same as naming it)
`,
  options: { ...workspaceOption },
  positionals: { min: 0, max: 1, names: ['NAME'] },
  run: ({ values, positionals: [given] }) =>
    withCliApp(async (app) => {
      const name = await targetWorkspace(app, given, values.workspace);
      await app.disconnect(name);
      const detached = await detachIfAttached(app.opts.stateDir, name);
      process.stdout.write(`${name}: disconnected${detached ? ' and detached' : ''}\n`);
      return 0;
    }),
});
