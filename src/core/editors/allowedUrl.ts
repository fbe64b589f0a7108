// The one gate before anything is handed to the OS URL opener (shell.openExternal, `open`,
// xdg-open, `start`): those run whatever handler a scheme is registered to (file:, smb:, ms-*:
// and custom handlers have all been used to run code), so only the schemes we build are let
// through, checked on the raw string as well as the parsed URL (the WHATWG parser silently
// drops tabs and newlines, which would let a disguised scheme past a parsed-only check).
import type { EditorId } from '../../shared/contract.js';
import { RuncodeError } from '../errors.js';
import { editorUrl } from './editorUrl.js';
import { WORKSPACE_NAME_SOURCE } from '../../shared/workspaceName.js';
import { URL_EDITORS } from '../../shared/editors.js';

const EDITOR_SCHEMES: ReadonlySet<string> = new Set(URL_EDITORS);

const NAME = `(${WORKSPACE_NAME_SOURCE})`;
const PATH = "(/[A-Za-z0-9\\-_.!~*'()%/]*)";
/** Per editor: the shape editorUrl() builds, with its variable parts captured. */
const SHAPES: Record<string, RegExp> = {
  vscode: new RegExp(`^vscode://vscode-remote/ssh-remote\\+runcode\\.${NAME}${PATH}$`),
  'vscode-insiders': new RegExp(`^vscode-insiders://vscode-remote/ssh-remote\\+runcode\\.${NAME}${PATH}$`),
  cursor: new RegExp(`^cursor://vscode-remote/ssh-remote\\+runcode\\.${NAME}${PATH}$`),
  windsurf: new RegExp(`^windsurf://vscode-remote/ssh-remote\\+runcode\\.${NAME}${PATH}$`),
  zed: new RegExp(`^zed://ssh/runcode\\.${NAME}${PATH}$`),
  'jetbrains-gateway': new RegExp(
    `^jetbrains-gateway://connect#host=runcode\\.${NAME}&port=22&user=([^&#]*)&type=ssh&deploy=false&projectPath=([^&#]*)$`,
  ),
};

/**
 * An editor URL passes only if it is exactly what editorUrl() would build from its own parts
 * (a validated name, user and workdir): not `vscode://vscode.git/clone?url=...` nor any other
 * command an editor's URL handler understands.
 */
function isBuiltEditorUrl(scheme: string, url: string): boolean {
  const m = SHAPES[scheme]?.exec(url);
  if (!m) return false;
  try {
    const target =
      scheme === 'jetbrains-gateway'
        ? { name: m[1]!, user: decodeURIComponent(m[2]!), workdir: decodeURIComponent(m[3]!) }
        : { name: m[1]!, workdir: m[2]!.split('/').map(decodeURIComponent).join('/') };
    return editorUrl(scheme as EditorId, target) === url;
  } catch {
    return false;
  }
}
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Returns `url` when it may be opened; otherwise throws RuncodeError('bad_url'). */
export function assertAllowedUrl(url: string): string {
  const refuse = (why: string) =>
    new RuncodeError('bad_url', `refusing to open ${JSON.stringify(String(url).slice(0, 80))}: ${why}`);
  if (typeof url !== 'string' || url.length === 0 || url.length > 8192) throw refuse('not a URL');
  if (!/^[\x21-\x7e]+$/.test(url)) throw refuse('it contains spaces, control or non-ASCII characters');
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  if (!m) throw refuse('it has no scheme');
  const scheme = m[1]!.toLowerCase();
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw refuse('not a valid URL');
  }
  if (u.protocol !== `${scheme}:`) throw refuse('its scheme is ambiguous');
  if (u.username || u.password) throw refuse('it carries a user name or password');
  if (EDITOR_SCHEMES.has(scheme)) {
    if (isBuiltEditorUrl(scheme, url)) return url;
    throw refuse(`it is not a RunCode ${scheme}: link to a runcode.NAME workspace`);
  }
  if (scheme === 'https') {
    if (!u.hostname) throw refuse('it names no host');
    return url;
  }
  if (scheme === 'http') {
    // Plain HTTP only for our own port forwards, which listen on loopback.
    if (LOOPBACK.has(u.hostname)) return url;
    throw refuse('plain http:// is allowed only for 127.0.0.1 or localhost');
  }
  throw refuse(`the ${scheme}: scheme is not one RunCode opens`);
}
