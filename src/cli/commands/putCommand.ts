import path from 'node:path';
import { putFile, withOverwriteHint } from '../../core/ssh/sftpTransfer.js';
import { withCliApp } from '../cliApp.js';
import { defineCommand, progress, workspaceOption } from '../defineCommand.js';
import { targetWorkspace, withWorkspaceSsh } from '../ensureConnected.js';
import { formatBytes, TransferProgressLine } from '../transferProgressLine.js';

export const putCommand = defineCommand({
  name: 'put',
  usage: `usage: runcode put LOCAL [REMOTE] [-w NAME] [--force]

Uploads the file LOCAL to the attached workspace over SFTP, byte for byte, keeping its
permission bits. A relative REMOTE is taken from the workspace's workdir:
  runcode put ./local.py src/app.py    lands at WORKDIR/src/app.py
  runcode put ./local.py src/          lands at WORKDIR/src/local.py
  runcode put ./local.py               lands at WORKDIR/local.py (its own name, in the workdir)
The remote directory must exist (the error names it when it does not). Prints where it ended up.

  -w, --workspace NAME   upload to another workspace
  --force                replace an existing remote file (refused otherwise)
`,
  options: { ...workspaceOption, force: { type: 'boolean' } },
  positionals: { min: 1, max: 2, names: ['LOCAL', 'REMOTE'] },
  run: ({ values, positionals: [local, remote] }) =>
    withCliApp(async (app) => {
      const ws = await targetWorkspace(app, values.workspace);
      return withWorkspaceSsh(app, ws, async (client, rec) => {
        const line = new TransferProgressLine(`put ${path.basename(local!)}`);
        const r = await putFile(client, local!, remotePath(rec.pass.workdir, remote ?? '.'), {
          overwrite: values.force ?? false,
          onProgress: (p) => line.update(p),
        })
          .catch(withForceHint)
          .finally(() => line.done());
        progress(`uploaded ${formatBytes(r.bytes)} to ${ws}:${r.path}`);
        process.stdout.write(`${r.path}\n`);
        return 0;
      });
    }),
});

/** A remote path as given, or taken from the workdir when relative (a trailing `/` kept). */
export function remotePath(workdir: string, p: string): string {
  const joined = path.posix.isAbsolute(p) ? p : path.posix.join(workdir, p);
  return p.endsWith('/') && !joined.endsWith('/') ? `${joined}/` : joined;
}

/** Core's refusal names its option; the CLI's is --force. */
export const withForceHint = withOverwriteHint('use --force to replace it');
