// Whether this machine has OpenSSH's sftp-server, which the gateway runs for SFTP (scp, sftp,
// rsync over sftp, editors). Without it the gateway tells an SFTP client in one line what to
// install, and the control plane's `GET /` says so too, for `runcode doctor` and the tray's Doctor.
import { SFTP_SERVER_PATHS, findSftpServer, sftpInstallCommand } from '../core/ssh/sftpServer.js';

export { sftpInstallCommand };

export interface SftpServerStatus {
  /** The sftp-server the gateway will run, if any. */
  path?: string;
  /** The command that installs it on this platform (when missing). */
  install?: string;
}

export function sftpServerStatus(paths: readonly string[] = SFTP_SERVER_PATHS): SftpServerStatus {
  const found = findSftpServer(paths);
  return found ? { path: found } : { install: sftpInstallCommand() };
}

/** The one line an SFTP client gets when there is none. */
export function noSftpServerMessage(): string {
  return `runcode: file transfer needs OpenSSH's sftp-server on this machine: ${sftpInstallCommand()}\n`;
}
