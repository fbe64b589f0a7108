// Is the OpenSSH client there (ssh and ssh-keygen)?
import type { DoctorCheck } from '../../../shared/contract.js';
import type { ToolResult } from './runTool.js';

export function opensshCheck(ssh: ToolResult, keygen: ToolResult): DoctorCheck {
  return {
    id: 'openssh',
    title: 'OpenSSH client',
    ok: ssh.code === 0 && keygen.code !== 127,
    detail:
      ssh.code === 0
        ? ssh.stderr.trim() || ssh.stdout.trim()
        : ssh.code === 127
          ? 'ssh was not found on PATH'
          : `ssh -V failed: ${ssh.stderr.trim()}`,
    fix: 'install the OpenSSH client (macOS and most Linux ship it; on Windows: Settings > Apps > Optional features > OpenSSH Client)',
  };
}
