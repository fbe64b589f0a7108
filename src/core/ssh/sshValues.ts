// Validators for every value that may reach ~/.ssh/config or known_hosts. Values come from an
// untrusted backend (DESIGN.md), so each rule is an allowlist: OpenSSH expands `%` tokens, `${VAR}`
// and `~` in some keywords, treats `*`, `?`, `!` and `,` as patterns, and `#` as a comment.
import net from 'node:net';
import path from 'node:path';
import { WORKSPACE_NAME } from '../../shared/workspaceName.js';
import { isPort } from '../../shared/port.js';

// The one port rule lives in shared (the popover checks ports too); offered here with the rest.
export { isPort };

/** A HostKeyAlias: the host field of our known_hosts lines. */
export const HOST_KEY_ALIAS = /^runcode-[a-z0-9][a-z0-9.-]{0,120}$/;
const WORKSPACE_ALIAS_PREFIX = 'runcode-gateway.';
const SSH_USER = /^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$/;
const LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})';
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`);
// Control characters, and `${` (an environment variable OpenSSH expands; it has no escape).
// `"`, `\\` and `%` are escaped when written (sshConfigBlock.ts).
// eslint-disable-next-line no-control-regex -- control characters are what this rejects
const UNSAFE_PATH_CHARS = /[\x00-\x1f\x7f]|\$\{/;

export function isWorkspaceName(v: unknown): v is string {
  return typeof v === 'string' && WORKSPACE_NAME.test(v);
}

export function isHostKeyAlias(v: unknown): v is string {
  return typeof v === 'string' && HOST_KEY_ALIAS.test(v);
}

/** The HostKeyAlias a workspace's gateway keys are pinned under (one per workspace: each pass pins its own). */
export function hostKeyAlias(name: string): string {
  return `${WORKSPACE_ALIAS_PREFIX}${name}`;
}

/** The workspace whose pins `alias` holds (hostKeyAlias's inverse); undefined for another alias. */
export function workspaceOfHostKeyAlias(alias: string): string | undefined {
  return alias.startsWith(WORKSPACE_ALIAS_PREFIX) ? alias.slice(WORKSPACE_ALIAS_PREFIX.length) : undefined;
}

/** A DNS name or an IPv4/IPv6 literal; never a pattern, a zone id (`%`) or a leading `-`. */
export function isHostName(v: unknown): v is string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 253) return false;
  if (net.isIPv4(v)) return true;
  if (v.includes(':')) return !v.includes('%') && net.isIPv6(v);
  return HOSTNAME.test(v);
}

export function isSshUser(v: unknown): v is string {
  return typeof v === 'string' && SSH_USER.test(v);
}

/** An absolute path we can write inside double quotes (escaped) without OpenSSH reinterpreting it. */
export function isSafeConfigPath(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 4096 && path.isAbsolute(v) && !UNSAFE_PATH_CHARS.test(v);
}
