// The one list of editors RunCode can open a workspace in. Settings, IPC schemas, the tray store,
// the URL gate and the renderer's types all derive from it, so adding an editor is one line here
// (and the compiler then asks for its label, URL and detection).

/**
 * Editors opened by a URL that names the ssh alias `runcode.NAME` (each URL's scheme is the
 * editor's id); they find that host in ~/.ssh/config themselves.
 */
export const URL_EDITORS = [
  'vscode',
  'vscode-insiders',
  'cursor',
  'windsurf',
  'zed',
  'jetbrains-gateway',
] as const;

/** Every editor: the URL-launched ones, then a terminal running ssh and the browser IDE. */
export const EDITOR_IDS = [...URL_EDITORS, 'terminal', 'browser'] as const;

export type EditorId = (typeof EDITOR_IDS)[number];
