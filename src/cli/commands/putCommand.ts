import path from 'node:path';
import { RuncodeError } from '../../core/errors.js';
import { putFile } from '../../core/ssh/sftpTransfer.js';
import { withCliApp } from '../cliApp.js';
import { defineCommand, progress } from '../defineCommand.js';
import { withWorkspaceSsh, workspaceName } from '../ensureConnected.js';
import { formatBytes, TransferProgressLine } from '../transferProgressLine.js';

export const putCommand = defineCommand({
  name: 'put',
  usage: `usage: runcode put NAME LOCAL [REMOTE] [--force]

Uploads the file LOCAL to the workspace over SFTP, keeping its permission bits. REMOTE is a file
or a directory; a relative one is taken from the workspace's workdir, and without it the file
lands in the workdir under its own name. Prints where it ended up.

  --force    replace an existing remote file (refused otherwise)
`,
  options: { force: { type: 'boolean' } },
  positionals: { min: 2, max: 3 },
  run: async ({ values, positionals: [name, local, remote] }) => {
    const ws = workspaceName(name);
    return withCliApp((app) =>
      withWorkspaceSsh(app, ws, async (client, rec) => {
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
      }),
    );
  },
});

/** A remote path as given, or taken from the workdir when relative. */
export function remotePath(workdir: string, p: string): string {
  return path.posix.isAbsolute(p) ? p : path.posix.join(workdir, p);
}

/** Core's refusal names its option; the CLI's is --force. */
export function withForceHint(e: unknown): never {
  if (e instanceof RuncodeError && e.code === 'exists') {
    throw new RuncodeError(
      'exists',
      e.message.replace(/pass overwrite to replace it$/, 'use --force to replace it'),
    );
  }
  throw e;
}
