// The one rule for a workspace name and the ssh alias built from it. Every check (the API schemas,
// settings, IPC calls, key files, editor URLs, the tray store) uses these, so they cannot disagree.

/** The pattern source of a workspace name, for rules that embed it (key files, URLs, JSON Schema). */
export const WORKSPACE_NAME_SOURCE = '[a-z0-9][a-z0-9-]{0,62}';

/** A workspace name: the `NAME` in `runcode.NAME`, a key file name. */
export const WORKSPACE_NAME = new RegExp(`^${WORKSPACE_NAME_SOURCE}$`);

/** What every ssh config host of ours starts with. */
export const HOST_PREFIX = 'runcode.';

/** The ssh config alias of a workspace: `runcode.NAME` (the name is not checked here). */
export function sshAlias(name: string): string {
  return `${HOST_PREFIX}${name}`;
}
