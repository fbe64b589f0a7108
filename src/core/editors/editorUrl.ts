// Editor URLs (DESIGN.md, "Open in editor"), built only from re-validated values: the name
// becomes a host alias, the workdir a URL path or query value, so neither may carry anything
// that could change what the URL means.
import { RuncodeError } from '../errors.js';

import type { EditorId } from '../../shared/contract.js';
import { WORKSPACE_NAME, sshAlias } from '../../shared/workspaceName.js';
import { EDITOR_IDS } from '../../shared/editors.js';
import { isSshUser } from '../ssh/sshValues.js';

export type { EditorId };

const LABELS: Record<EditorId, string> = {
  vscode: 'VS Code',
  'vscode-insiders': 'VS Code Insiders',
  cursor: 'Cursor',
  windsurf: 'Windsurf',
  zed: 'Zed',
  'jetbrains-gateway': 'JetBrains Gateway',
  terminal: 'Terminal',
  browser: 'Browser IDE',
};

/** Every editor with its label, in the order of EDITOR_IDS. */
export const EDITORS: readonly { id: EditorId; label: string }[] = EDITOR_IDS.map((id) => ({
  id,
  label: LABELS[id],
}));

export function isEditorId(v: unknown): v is EditorId {
  return (EDITOR_IDS as readonly unknown[]).includes(v);
}

export interface EditorTarget {
  /** Workspace name; the ssh alias is `runcode.NAME`. */
  name: string;
  /** Absolute remote directory to open. */
  workdir: string;
  /** The SSH user from the pass (JetBrains Gateway asks for it). */
  user?: string;
  /** Workspace.webIdeUrl, for the browser IDE. */
  webIdeUrl?: string;
  /** The control plane it came from: the browser IDE is opened only on this origin. */
  endpoint?: string;
}

// C0/C1 controls, DEL, and the bidi/zero-width marks that could disguise a path shown to a person.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

const show = (v: unknown) => JSON.stringify(String(v).slice(0, 40));

export function checkName(name: string): string {
  if (typeof name !== 'string' || !WORKSPACE_NAME.test(name)) {
    throw new RuncodeError('invalid_argument', `${show(name)} is not a valid workspace name (name: a-z, 0-9, -)`);
  }
  return name;
}

/** The ssh config alias of a workspace, `runcode.NAME`, after checking the name. */
export function checkedAlias(name: string): string {
  return sshAlias(checkName(name));
}

/** An absolute remote path without control characters, empty, `.` or `..` segments. */
export function checkWorkdir(workdir: string): string {
  const bad = (why: string) => new RuncodeError('invalid_argument', `the workdir ${show(workdir)} ${why}`);
  if (typeof workdir !== 'string' || !workdir.startsWith('/')) throw bad('is not an absolute path');
  if (workdir.length > 1024) throw bad('is too long');
  if (UNSAFE.test(workdir)) throw bad('contains control characters');
  if (
    workdir !== '/' &&
    workdir
      .slice(1)
      .split('/')
      .some((s) => s === '' || s === '.' || s === '..')
  ) {
    throw bad('has an empty, "." or ".." segment');
  }
  return workdir;
}

export function checkUser(user: string | undefined): string {
  if (!isSshUser(user)) {
    throw new RuncodeError('invalid_argument', `${show(user)} is not a valid SSH user (user)`);
  }
  return user;
}

/** `/work/my project` -> `/work/my%20project`: each segment encoded, the slashes kept. */
export function encodePath(workdir: string): string {
  return checkWorkdir(workdir)
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

const VSCODE_SCHEMES = {
  vscode: 'vscode',
  'vscode-insiders': 'vscode-insiders',
  cursor: 'cursor',
  windsurf: 'windsurf',
};

/** The URL that opens `t` in a URL-launched editor; undefined for the terminal. */
export function editorUrl(editor: EditorId, t: EditorTarget): string | undefined {
  switch (editor) {
    case 'vscode':
    case 'vscode-insiders':
    case 'cursor':
    case 'windsurf':
      return `${VSCODE_SCHEMES[editor]}://vscode-remote/ssh-remote+${checkedAlias(t.name)}${encodePath(t.workdir)}`;
    case 'zed':
      return `zed://ssh/${checkedAlias(t.name)}${encodePath(t.workdir)}`;
    case 'jetbrains-gateway': {
      const q = [
        ['host', checkedAlias(t.name)],
        ['port', '22'],
        ['user', checkUser(t.user)],
        ['type', 'ssh'],
        ['deploy', 'false'],
        ['projectPath', checkWorkdir(t.workdir)],
      ];
      return `jetbrains-gateway://connect#${q.map(([k, v]) => `${k}=${encodeURIComponent(v!)}`).join('&')}`;
    }
    case 'browser':
      return checkWebIdeUrl(t.webIdeUrl, t.endpoint);
    case 'terminal':
      return undefined;
    default:
      throw new RuncodeError('invalid_argument', `unknown editor ${show(editor)}`);
  }
}

/**
 * Workspace.webIdeUrl: https only, no credentials, printable ASCII, and on the endpoint's own
 * origin (a backend cannot send the browser anywhere else, whatever it answers).
 */
export function checkWebIdeUrl(url: string | undefined, endpoint: string | undefined): string {
  const bad = () =>
    new RuncodeError('bad_url', `the browser IDE URL ${show(url)} is not an https:// URL; refusing it`);
  if (typeof url !== 'string' || url.length > 2048 || !/^https:\/\/[\x21-\x7e]+$/.test(url)) throw bad();
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad();
  }
  if (u.protocol !== 'https:' || !u.hostname || u.username || u.password) throw bad();
  let origin: string | undefined;
  try {
    origin = endpoint === undefined ? undefined : new URL(endpoint).origin;
  } catch {
    origin = undefined;
  }
  if (u.origin !== origin) {
    throw new RuncodeError(
      'bad_url',
      `the browser IDE URL ${show(url)} is not on the control plane's own origin (${origin ?? 'unknown'}); refusing it`,
    );
  }
  return url;
}
