// For tests of the ssh config path rules (paths.ts): whether the configured file is the one
// OpenSSH reads by itself.
import type { Env } from '../paths.js';
import { sshConfigArgs, sshConfigPath } from '../paths.js';

/**
 * True when the ssh config is the file OpenSSH reads by itself (no `-F` needed). OpenSSH finds it
 * through the passwd entry, not $HOME, so a $HOME pointed elsewhere makes it "not default".
 */
export function isDefaultSshConfig(env: Env = process.env): boolean {
  return sshConfigArgs(sshConfigPath(env)).length === 0;
}
