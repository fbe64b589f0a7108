// Whether this machine has OpenSSH's sftp-server, which the gateway runs for SFTP (scp, sftp,
// rsync over sftp, editors). Without it the gateway tells an SFTP client in one line what to
// install, and the control plane's `GET /` says so too, for `runcode doctor` and the tray's Doctor.
import fs from 'node:fs';
import path from 'node:path';
import { SFTP_SERVER_PATHS, findSftpServer } from './gatewayProcess.js';

export interface SftpServerStatus {
  /** The sftp-server the gateway will run, if any. */
  path?: string;
  /** The command that installs it on this platform (when missing). */
  install?: string;
}

const onPath = (cmd: string): boolean =>
  (process.env.PATH ?? '/usr/bin:/bin')
    .split(path.delimiter)
    .some((d) => d && fs.existsSync(path.join(d, cmd)));

/** The platform's way to get sftp-server. */
export function sftpInstallCommand(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin')
    return 'it ships with macOS at /usr/libexec/sftp-server; reinstall the OpenSSH that provides it';
  if (onPath('apt-get')) return 'apt-get install openssh-sftp-server';
  if (onPath('dnf')) return 'dnf install openssh-server';
  if (onPath('yum')) return 'yum install openssh-server';
  if (onPath('apk')) return 'apk add openssh-sftp-server';
  if (onPath('pacman')) return 'pacman -S openssh';
  if (onPath('zypper')) return 'zypper install openssh-server';
  return "install your system's OpenSSH server package (it provides sftp-server)";
}

export function sftpServerStatus(paths: readonly string[] = SFTP_SERVER_PATHS): SftpServerStatus {
  const found = findSftpServer(paths);
  return found ? { path: found } : { install: sftpInstallCommand() };
}

/** The one line an SFTP client gets when there is none. */
export function noSftpServerMessage(): string {
  return `runcode: file transfer needs OpenSSH's sftp-server on this machine: ${sftpInstallCommand()}\n`;
}
