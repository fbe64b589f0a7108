// The size of a regular file in the workspace, asked before a download so a size cap is enforced
// before any byte moves.
import type { Client, SFTPWrapper, Stats } from 'ssh2';
import { RuncodeError } from '../../core/errors.js';

export async function remoteFileSize(client: Client, remotePath: string): Promise<number> {
  const sftp = await new Promise<SFTPWrapper>((resolve, reject) =>
    client.sftp((err, s) =>
      err
        ? reject(new RuncodeError('sftp_unavailable', `the workspace did not start SFTP: ${err.message}`))
        : resolve(s),
    ),
  );
  try {
    const st = await new Promise<Stats | undefined>((resolve) =>
      sftp.stat(remotePath, (err, s) => resolve(err ? undefined : s)),
    );
    if (!st?.isFile()) throw new RuncodeError('not_found', `${remotePath} is not a file in the workspace`);
    return st.size;
  } finally {
    sftp.end();
  }
}
