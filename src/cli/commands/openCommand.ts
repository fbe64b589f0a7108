import { openExternalUrl } from '../../core/editors/openExternalUrl.js';
import { EDITORS, isEditorId } from '../../core/editors/editorUrl.js';
import type { EditorId } from '../../core/editors/editorUrl.js';
import { describeLaunch, launchEditor } from '../../core/editors/launchEditor.js';
import type { LaunchRequest } from '../../core/editors/launchEditor.js';
import { withCliApp } from '../cliApp.js';
import { defineCommand, progress, UsageError } from '../defineCommand.js';
import { closest } from '../didYouMean.js';
import { shown } from '../displayText.js';
import { ensureConnected, targetWorkspace } from '../ensureConnected.js';
import { ownSshConfigIfPresent } from '../ownSshConfig.js';

const IDS = EDITORS.map((e) => e.id).join(', ');

export const openCommand = defineCommand({
  name: 'open',
  usage: `usage: runcode open [NAME] [--editor E] [--print]

Opens the workspace's browser IDE in your default browser (the attached workspace when none is
named). With --editor, opens its workdir in that editor over SSH instead (connecting it first
when needed).

  --editor E   one of ${IDS}
               (default: browser)
  --print      print the URL or command instead of launching anything
`,
  options: { editor: { type: 'string' }, print: { type: 'boolean' } },
  positionals: { min: 0, max: 1, names: ['NAME'] },
  run: async ({ values, positionals: [given] }) => {
    if (values.editor !== undefined && !isEditorId(values.editor)) {
      const guess = closest(
        values.editor,
        EDITORS.map((e) => e.id),
      );
      throw new UsageError(
        `unknown editor '${shown(values.editor, 40)}'${guess ? `; did you mean '${guess}'?` : ''} (one of ${IDS})`,
      );
    }
    return withCliApp(async (app) => {
      const ws = await targetWorkspace(app, given);
      // The page's promise: `open NAME` is the browser IDE. The tray keeps its own default editor.
      const editor: EditorId = (values.editor as EditorId | undefined) ?? 'browser';
      const workspace = await app.findWorkspace(ws);
      // The browser IDE needs no SSH; every other editor dials in through the entry.
      const rec = editor === 'browser' ? await app.connections.get(ws) : await ensureConnected(app, ws);
      const req: LaunchRequest = {
        editor,
        name: ws,
        workdir: rec?.pass.workdir ?? workspace.workdir,
        ...(rec ? { user: rec.pass.user } : {}),
        webIdeUrl: workspace.webIdeUrl,
        endpoint: (await app.session.endpoint())?.endpoint,
      };
      const sshConfig = ownSshConfigIfPresent(app);
      const deps = { platform: process.platform, env: process.env, ...(sshConfig ? { sshConfig } : {}) };
      if (values.print) {
        const plan = describeLaunch(req, deps);
        process.stdout.write(`${plan.kind === 'url' ? plan.url : plan.commandLine}\n`);
        return 0;
      }
      const plan = await launchEditor(req, { ...deps, openUrl: (url) => openExternalUrl(url) });
      const label = EDITORS.find((e) => e.id === editor)?.label ?? editor;
      progress(`opened ${ws} in ${label}: ${plan.kind === 'url' ? plan.url : plan.commandLine}`);
      return 0;
    });
  },
});
