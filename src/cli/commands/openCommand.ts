import { openExternalUrl } from '../../core/auth/openExternalUrl.js';
import { EDITORS, isEditorId } from '../../core/editors/editorUrl.js';
import type { EditorId } from '../../core/editors/editorUrl.js';
import { describeLaunch, launchEditor } from '../../core/editors/launchEditor.js';
import type { LaunchRequest } from '../../core/editors/launchEditor.js';
import { withCliApp } from '../cliApp.js';
import { defineCommand, progress, UsageError } from '../defineCommand.js';
import { ensureConnected, workspaceName } from '../ensureConnected.js';

const IDS = EDITORS.map((e) => e.id).join(', ');

export const openCommand = defineCommand({
  name: 'open',
  usage: `usage: runcode open NAME [--editor E] [--print]

Opens the workspace's workdir in an editor over SSH (connecting it first when needed).

  --editor E   one of ${IDS}
               (default: the defaultEditor setting)
  --print      print the URL or command instead of launching anything
`,
  options: { editor: { type: 'string' }, print: { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  run: async ({ values, positionals: [name] }) => {
    const ws = workspaceName(name);
    if (values.editor !== undefined && !isEditorId(values.editor)) {
      throw new UsageError(`unknown editor '${values.editor.slice(0, 40)}' (one of ${IDS})`);
    }
    return withCliApp(async (app) => {
      const editor: EditorId =
        (values.editor as EditorId | undefined) ?? (await app.settings.get()).defaultEditor;
      const workspace = await app.findWorkspace(ws);
      // The browser IDE needs no SSH; every other editor dials in through the entry.
      const rec = editor === 'browser' ? await app.connections.get(ws) : await ensureConnected(app, ws);
      const req: LaunchRequest = {
        editor,
        name: ws,
        workdir: rec?.pass.workdir ?? workspace.workdir,
        ...(rec ? { user: rec.pass.user } : {}),
        webIdeUrl: workspace.webIdeUrl,
      };
      const deps = { platform: process.platform, env: process.env };
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
