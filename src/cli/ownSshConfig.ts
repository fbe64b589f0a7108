// The ssh config everything RunCode runs itself reads (`ssh -F <state>/ssh_config`, from
// ownSshConfigPath), so no line of the user's ~/.ssh/config applies to our hosts.
import fs from 'node:fs';
import type { RuncodeApp } from '../core/app/runcodeApp.js';
import { ownSshConfigPath } from '../core/paths.js';

/**
 * The config `runcode ssh` hands to ssh with -F: our own file once connect has written it; for a
 * state dir from before it existed, the file with the managed block, so the command keeps working.
 */
export function sshConfigForOwnTools(app: RuncodeApp): string {
  return ownSshConfigIfPresent(app) ?? app.configFile.path;
}

/** Our own file when connect has written it, else undefined (the terminal runs plain `ssh ALIAS`). */
export function ownSshConfigIfPresent(app: RuncodeApp): string | undefined {
  const own = ownSshConfigPath(app.opts.stateDir);
  return fs.existsSync(own) ? own : undefined;
}
