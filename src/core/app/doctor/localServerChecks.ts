// When the endpoint is a RunCode server on this machine (`runcode server`, the tray's local demo
// server): say plainly what it is, and whether it can serve file transfer (it runs OpenSSH's
// sftp-server, which a fresh machine may lack). Nothing to say for a remote endpoint.
import type { DoctorCheck } from '../../../shared/contract.js';
import { findSftpServer, sftpInstallCommand } from '../../ssh/sftpServer.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLocalEndpoint(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  try {
    return LOOPBACK.has(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

/** What this machine has; a parameter so a test can describe a machine without sftp-server. */
export interface LocalServerProbe {
  sftpServer(): string | undefined;
  install(): string;
}

const realProbe: LocalServerProbe = {
  sftpServer: () => findSftpServer(),
  install: () => sftpInstallCommand(),
};

export function localServerChecks(
  endpoint: string | undefined,
  probe: LocalServerProbe = realProbe,
): DoctorCheck[] {
  if (!isLocalEndpoint(endpoint)) return [];
  const sftpServer = probe.sftpServer();
  return [
    {
      id: 'local-server',
      title: 'Local demo server',
      ok: true,
      detail:
        'a RunCode server on this computer: its workspaces are folders here, their commands run as you, ' +
        'and they are not isolated from each other or from your files',
    },
    {
      id: 'local-sftp',
      title: 'Local demo server: file transfer (sftp-server)',
      ok: sftpServer !== undefined,
      detail:
        sftpServer ??
        "OpenSSH's sftp-server is not installed: put, get, scp, sftp and editors' file transfer fail",
      ...(sftpServer ? {} : { fix: probe.install() }),
    },
  ];
}
