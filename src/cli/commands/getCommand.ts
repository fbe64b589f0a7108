import path from 'node:path';
import { getFile } from '../../core/ssh/sftpTransfer.js';
import { withCliApp } from '../cliApp.js';
import { defineCommand, progress, workspaceOption } from '../defineCommand.js';
import { targetWorkspace, withWorkspaceSsh } from '../ensureConnected.js';
import { formatBytes, TransferProgressLine } from '../transferProgressLine.js';
import { remotePath, withForceHint } from './putCommand.js';

export const getCommand = defineCommand({
  name: 'get',
  usage: `usage: runcode get REMOTE [--out PATH] [-w NAME] [--force]

Downloads the file REMOTE from the attached workspace over SFTP, byte for byte, keeping its
permission bits. A relative REMOTE is taken from the workspace's workdir. Prints where it ended up.

  --out PATH             a file, or a directory to put it in under its own name
                         (\`--out .\`: here; the default too)
  -w, --workspace NAME   download from another workspace
  --force                replace an existing local file (refused otherwise)
`,
  options: { ...workspaceOption, out: { type: 'string', short: 'o' }, force: { type: 'boolean' } },
  positionals: { min: 1, max: 1, names: ['REMOTE'] },
  run: ({ values, positionals: [remote] }) =>
    withCliApp(async (app) => {
      const ws = await targetWorkspace(app, values.workspace);
      return withWorkspaceSsh(app, ws, async (client, rec) => {
        const from = remotePath(rec.pass.workdir, remote!);
        const line = new TransferProgressLine(`get ${path.posix.basename(from)}`);
        const out = values.out ?? '.';
        // path.resolve drops a trailing separator, which says "a directory" (getFile checks it).
        const to = path.resolve(out) + (/[\\/]$/.test(out) && out.length > 1 ? path.sep : '');
        const r = await getFile(client, from, to, {
          overwrite: values.force ?? false,
          onProgress: (p) => line.update(p),
        })
          .catch(withForceHint)
          .finally(() => line.done());
        progress(`downloaded ${formatBytes(r.bytes)} to ${r.path}`);
        process.stdout.write(`${r.path}\n`);
        return 0;
      });
    }),
});
