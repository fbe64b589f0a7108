// Is the gateway's host key pinned for this workspace, in a known_hosts OpenSSH can read?
// `ssh-keygen -F ALIAS -f FILE` is the judge (a damaged file fails here as it fails for ssh).
import type { DoctorCheck } from '../../../shared/contract.js';
import type { ToolResult } from './runTool.js';

export interface KnownHostsInput {
  name: string;
  alias: string;
  /** The record's keys (`ssh-ed25519 AAAA...`). */
  expected: readonly string[];
  knownHostsPath: string;
  /** `ssh-keygen -F alias -f knownHostsPath`. */
  found: ToolResult;
}

export function knownHostsCheck(i: KnownHostsInput): DoctorCheck {
  const base = { id: `known-hosts:${i.name}`, title: `Gateway key pinned for ${i.name}` };
  const fix = `run \`runcode config-ssh\` (re-pins from the records) or \`runcode connect ${i.name}\``;
  if (i.found.code === 127) return { ...base, ok: true, detail: 'ssh-keygen not found: not checked' };
  const keys = i.found.stdout
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.trim().split(/\s+/).slice(1, 3).join(' '));
  const missing = i.expected.filter((k) => !keys.includes(k.trim().split(/\s+/).slice(0, 2).join(' ')));
  if (i.found.code !== 0 || keys.length === 0) {
    const why = i.found.stderr.trim().split('\n')[0];
    return {
      ...base,
      ok: false,
      detail: `no usable key for ${i.alias} in ${i.knownHostsPath}${why ? ` (${why})` : ''}: ssh would say "Host key verification failed"`,
      fix,
    };
  }
  if (missing.length) {
    return {
      ...base,
      ok: false,
      detail:
        `${i.knownHostsPath} has ${keys.length} line(s) for ${i.alias} but not the key the pass names ` +
        '(damaged or out of date): ssh would say "Host key verification failed"',
      fix,
    };
  }
  return { ...base, ok: true, detail: `${i.alias} in ${i.knownHostsPath}` };
}
