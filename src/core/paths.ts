// Where RunCode keeps its state on disk (DESIGN.md, "State on disk"). Every helper takes the
// environment as a parameter so tests and the tray can point it elsewhere without touching
// process.env. Paths may contain spaces (macOS "Application Support"): callers quote them.
import os from 'node:os';
import path from 'node:path';
import envPaths from 'env-paths';
import { RuncodeError } from './errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

function absoluteFromEnv(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!path.isAbsolute(value)) {
    throw new RuncodeError('bad_config', `$${name} must be an absolute path (it is "${value}")`);
  }
  return path.normalize(value);
}

/** The state directory: `$RUNCODE_HOME`, else the platform's config dir for `runcode`. */
export function stateDir(env: Env = process.env): string {
  return absoluteFromEnv(env, 'RUNCODE_HOME') ?? envPaths('runcode', { suffix: '' }).config;
}

/** The ssh config file we manage a block in: `$RUNCODE_SSH_CONFIG`, else `~/.ssh/config`. */
export function sshConfigPath(env: Env = process.env): string {
  return absoluteFromEnv(env, 'RUNCODE_SSH_CONFIG') ?? path.join(os.homedir(), '.ssh', 'config');
}

/** The file OpenSSH reads by itself: found through the passwd entry, not $HOME. */
function openSshOwnConfig(): string {
  return path.join(os.userInfo().homedir, '.ssh', 'config');
}

/** The `-F` arguments every ssh we run needs for `configPath` to be the one read. */
export function sshConfigArgs(configPath: string): string[] {
  return path.resolve(configPath) === openSshOwnConfig() ? [] : ['-F', configPath];
}

/** Directory of the per-workspace private keys (0700). */
export function keysDir(dir: string = stateDir()): string {
  return path.join(dir, 'keys');
}

/** The app's own known_hosts with the pinned gateway keys. */
export function knownHostsPath(dir: string = stateDir()): string {
  return path.join(dir, 'known_hosts');
}

/**
 * RunCode's own ssh config (0600): one `Host runcode.NAME` per connection, the same hardened
 * entries as the opt-in ~/.ssh/config block. Everything RunCode runs itself uses `ssh -F` this.
 */
export function ownSshConfigPath(dir: string = stateDir()): string {
  return path.join(dir, 'ssh_config');
}
