// Where OpenSSH's sftp-server lives, which the local server's gateway runs for SFTP (scp, sftp,
// rsync over sftp, editors), and how to install it where it is missing. In core so that the
// server and `runcode doctor` (which may not import the server) share one answer.
import { findExecutable, realFs } from '../editors/findExecutable.js';

export const SFTP_SERVER_PATHS = [
  '/usr/lib/openssh/sftp-server',
  '/usr/lib/sftp-server',
  '/usr/libexec/sftp-server',
  '/usr/libexec/openssh/sftp-server',
];

export function findSftpServer(candidates: readonly string[] = SFTP_SERVER_PATHS): string | undefined {
  return candidates.find((p) => realFs.isExecutable(p));
}

/** The platform's way to get sftp-server. */
export function sftpInstallCommand(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (platform === 'darwin')
    return 'it ships with macOS at /usr/libexec/sftp-server; reinstall the OpenSSH that provides it';
  const has = (cmd: string) => findExecutable(cmd, platform, env) !== undefined;
  if (has('apt-get')) return 'apt-get install openssh-sftp-server';
  if (has('dnf')) return 'dnf install openssh-server';
  if (has('yum')) return 'yum install openssh-server';
  if (has('apk')) return 'apk add openssh-sftp-server';
  if (has('pacman')) return 'pacman -S openssh';
  if (has('zypper')) return 'zypper install openssh-server';
  return "install your system's OpenSSH server package (it provides sftp-server)";
}
