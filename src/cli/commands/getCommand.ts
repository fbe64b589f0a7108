import path from 'node:path';
import { getFile } from '../../core/ssh/sftpTransfer.js';
import { withCliApp } from '../cliApp.js';
import { defineCommand, progress } from '../defineCommand.js';
import { withWorkspaceSsh, workspaceName } from '../ensureConnected.js';
import { formatBytes, TransferProgressLine } from '../transferProgressLine.js';
import { remotePath, withForceHint } from './putCommand.js';

export const getCommand = defineCommand({
  name: 'get',
  usage: `usage: runcode get NAME REMOTE [LOCAL] [--force]

Downloads the workspace's file REMOTE over SFTP, keeping its permission bits. A relative REMOTE
is taken from the workspace's workdir. LOCAL is a file or a directory; without it the file lands
in the current directory under its own name. Prints where it ended up.

  --force    replace an existing local file (refused otherwise)
`,
  options: { force: { type: 'boolean' } },
  positionals: { min: 2, max: 3 },
  run: async ({ values, positionals: [name, remote, local] }) => {
    const ws = workspaceName(name);
    return withCliApp((app) =>
      withWorkspaceSsh(app, ws, async (client, rec) => {
        const from = remotePath(rec.pass.workdir, remote!);
        const line = new TransferProgressLine(`get ${path.posix.basename(from)}`);
        const r = await getFile(client, from, path.resolve(local ?? '.'), {
          overwrite: values.force ?? false,
          onProgress: (p) => line.update(p),
        })
          .catch(withForceHint)
          .finally(() => line.done());
        progress(`downloaded ${formatBytes(r.bytes)} to ${r.path}`);
        process.stdout.write(`${r.path}\n`);
        return 0;
      }),
    );
  },
});
