// Does `ssh -G runcode.NAME` show every value RunCode pinned? Pure: takes what `ssh -G` printed.
// For our own file (`ssh -F <state>/ssh_config`) nothing else is read, so anything off is ours to
// fix; for the block in the user's config, their sections can add options that add up
// (IdentityFile, CertificateFile, SendEnv, forwards): reported with the one fix.
import type { DoctorCheck } from '../../../shared/contract.js';
import type { HostEntry } from '../../ssh/hostEntry.js';
import {
  accumulatedExtras,
  describeViolation,
  parseSshG,
  pinViolations,
} from '../../ssh/sshEffectiveConfig.js';
import type { ToolResult } from './runTool.js';
import { sshAlias } from '../../../shared/workspaceName.js';

export interface HostConfigInput {
  entry: HostEntry;
  /** `ssh -G` of `runcode.NAME` with this config. */
  sshG: ToolResult;
  /** 'own': <state>/ssh_config; 'user': the opt-in block in the user's ssh config. */
  where: 'own' | 'user';
  configPath: string;
  /** Pins the local OpenSSH does not know, so they are not written (unsupportedPins()). */
  omit?: ReadonlySet<string>;
}

const EXCLUDE = '`Host * !runcode.*`';

export function hostConfigCheck(i: HostConfigInput): DoctorCheck {
  const alias = sshAlias(i.entry.name);
  const base = {
    id: `config-wins:${i.where === 'own' ? '' : 'user:'}${i.entry.name}`,
    title: `${alias} resolves to our settings ${i.where === 'own' ? '(own ssh config)' : `in ${i.configPath}`}`,
  };
  if (i.sshG.code !== 0) {
    return {
      ...base,
      ok: false,
      detail: `ssh -G failed: ${i.sshG.stderr.trim().split('\n')[0] || `exit ${i.sshG.code}`}`,
      fix:
        i.where === 'own'
          ? `run \`runcode connect ${i.entry.name}\` to rewrite ${i.configPath}`
          : `fix the line ssh names in ${i.configPath}, then run \`runcode config-ssh\``,
    };
  }
  const eff = parseSshG(i.sshG.stdout);
  const wrong = pinViolations(i.entry, eff, i.omit).map(describeViolation);
  const extras = i.where === 'user' ? accumulatedExtras(i.entry, eff) : new Map<string, string[]>();
  const added = [...extras].map(([k, v]) => `${k} ${v.join(', ')}`);
  if (wrong.length) {
    return {
      ...base,
      ok: false,
      detail: wrong.join('; '),
      fix:
        i.where === 'own'
          ? `run \`runcode connect ${i.entry.name}\` to rewrite ${i.configPath}`
          : `a section of ${i.configPath} (or a file it includes) above the RunCode block sets these for every host: ` +
            `write its Host line as ${EXCLUDE}, or move it below the block; then run \`runcode config-ssh\``,
    };
  }
  if (added.length) {
    // Not a wrong value of ours: options that add up, which no line of ours can take back.
    return {
      ...base,
      ok: false,
      detail: `another section also gives this host ${added.join('; ')} (offered or opened on every connection to it)`,
      fix: `write that section's Host line as ${EXCLUDE} in ${i.configPath} (or its included file)`,
    };
  }
  return { ...base, ok: true, detail: 'ssh -G shows every RunCode setting in effect' };
}
