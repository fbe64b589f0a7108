// The ssh config everything RunCode runs itself reads (`ssh -F <state>/ssh_config`), so no line of
// the user's ~/.ssh/config applies to our hosts. Computed here, in one place, until
// ownSshConfigPath() lands in src/core/paths.ts (helper "config"); switch to it then.
import fs from 'node:fs';
import path from 'node:path';
import type { RuncodeApp } from '../core/app/runcodeApp.js';

export function ownSshConfigFile(stateDir: string): string {
  return path.join(stateDir, 'ssh_config');
}

/**
 * The config `runcode ssh` and the terminal launcher hand to ssh with -F: our own file once
 * connect writes it; until then (an older state dir, or before that wiring lands) the file with
 * the managed block, so the command keeps working.
 */
export function sshConfigForOwnTools(app: RuncodeApp): string {
  const own = ownSshConfigFile(app.opts.stateDir);
  return fs.existsSync(own) ? own : app.configFile.path;
}

/** Our own file when connect has written it, else undefined (plain `ssh ALIAS`, as before). */
export function ownSshConfigIfPresent(app: RuncodeApp): string | undefined {
  const own = ownSshConfigFile(app.opts.stateDir);
  return fs.existsSync(own) ? own : undefined;
}
