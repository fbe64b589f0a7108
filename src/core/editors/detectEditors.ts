// Which editors are installed, where the platform lets us tell: app bundles on macOS, commands
// on PATH (and the JetBrains Toolbox and Flatpak places) on Linux, the per-user and machine
// install folders on Windows. true = found, false = looked where it installs and it is not
// there, undefined = this platform gives no reliable answer (offer it anyway).
import path from 'node:path';
import type { EditorId } from './editorUrl.js';
import type { FsProbe } from './findExecutable.js';
import { findExecutable, realFs } from './findExecutable.js';
import { LINUX_TERMINAL_NAMES } from './terminalCommand.js';

export type EditorAvailability = Record<EditorId, boolean | undefined>;

const MAC_BUNDLES: Record<Exclude<EditorId, 'terminal' | 'browser'>, string[]> = {
  vscode: ['Visual Studio Code.app'],
  'vscode-insiders': ['Visual Studio Code - Insiders.app'],
  cursor: ['Cursor.app'],
  windsurf: ['Windsurf.app'],
  zed: ['Zed.app', 'Zed Preview.app'],
  'jetbrains-gateway': ['JetBrains Gateway.app', 'JetBrains Toolbox/JetBrains Gateway.app'],
};

const LINUX_COMMANDS: Record<Exclude<EditorId, 'terminal' | 'browser'>, string[]> = {
  vscode: ['code'],
  'vscode-insiders': ['code-insiders'],
  cursor: ['cursor'],
  windsurf: ['windsurf'],
  zed: ['zed', 'zeditor'],
  'jetbrains-gateway': ['gateway'],
};

export function detectEditors(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  probe: FsProbe = realFs,
): EditorAvailability {
  if (platform === 'darwin') return detectMac(env, probe);
  if (platform === 'linux') return detectLinux(env, probe);
  if (platform === 'win32') return detectWindows(env, probe);
  return {
    vscode: undefined,
    'vscode-insiders': undefined,
    cursor: undefined,
    windsurf: undefined,
    zed: undefined,
    'jetbrains-gateway': undefined,
    terminal: undefined,
    browser: true,
  };
}

function detectMac(env: NodeJS.ProcessEnv, probe: FsProbe): EditorAvailability {
  const roots = ['/Applications', ...(env.HOME ? [path.posix.join(env.HOME, 'Applications')] : [])];
  const has = (bundles: string[]) =>
    roots.some((r) => bundles.some((b) => probe.exists(path.posix.join(r, b))));
  return {
    vscode: has(MAC_BUNDLES.vscode),
    'vscode-insiders': has(MAC_BUNDLES['vscode-insiders']),
    cursor: has(MAC_BUNDLES.cursor),
    windsurf: has(MAC_BUNDLES.windsurf),
    zed: has(MAC_BUNDLES.zed),
    'jetbrains-gateway': has(MAC_BUNDLES['jetbrains-gateway']),
    terminal: true,
    browser: true,
  };
}

function detectLinux(env: NodeJS.ProcessEnv, probe: FsProbe): EditorAvailability {
  const onPath = (cmds: string[]) => cmds.some((c) => findExecutable(c, 'linux', env, probe) !== undefined);
  const home = env.HOME && path.posix.isAbsolute(env.HOME) ? env.HOME : undefined;
  const flatpak = (appId: string) =>
    [
      `/var/lib/flatpak/exports/bin/${appId}`,
      ...(home ? [path.posix.join(home, '.local/share/flatpak/exports/bin', appId)] : []),
    ].some((p) => probe.exists(p));
  const toolbox = home
    ? ['scripts/gateway', 'apps/gateway', 'apps/JetBrainsGateway'].some((p) =>
        probe.exists(path.posix.join(home, '.local/share/JetBrains/Toolbox', p)),
      )
    : false;
  return {
    vscode: onPath(LINUX_COMMANDS.vscode) || flatpak('com.visualstudio.code'),
    'vscode-insiders': onPath(LINUX_COMMANDS['vscode-insiders']),
    cursor: onPath(LINUX_COMMANDS.cursor),
    windsurf: onPath(LINUX_COMMANDS.windsurf),
    zed: onPath(LINUX_COMMANDS.zed) || flatpak('dev.zed.Zed'),
    'jetbrains-gateway': onPath(LINUX_COMMANDS['jetbrains-gateway']) || toolbox,
    terminal: onPath(LINUX_TERMINAL_NAMES),
    browser: true,
  };
}

function detectWindows(env: NodeJS.ProcessEnv, probe: FsProbe): EditorAvailability {
  const w = path.win32;
  const local = env.LOCALAPPDATA && w.isAbsolute(env.LOCALAPPDATA) ? env.LOCALAPPDATA : undefined;
  const programFiles = env.ProgramFiles && w.isAbsolute(env.ProgramFiles) ? env.ProgramFiles : undefined;
  const has = (perUser: string[], machine: string[] = []) =>
    (local !== undefined && perUser.some((p) => probe.exists(w.join(local, 'Programs', p)))) ||
    (programFiles !== undefined && machine.some((p) => probe.exists(w.join(programFiles, p))));
  // Gateway installs under a versioned folder outside Toolbox: only Toolbox's script is certain.
  const gateway =
    local !== undefined && probe.exists(w.join(local, 'JetBrains', 'Toolbox', 'scripts', 'gateway.cmd'));
  return {
    vscode: has(['Microsoft VS Code\\Code.exe'], ['Microsoft VS Code\\Code.exe']),
    'vscode-insiders': has(
      ['Microsoft VS Code Insiders\\Code - Insiders.exe'],
      ['Microsoft VS Code Insiders\\Code - Insiders.exe'],
    ),
    cursor: has(['cursor\\Cursor.exe']),
    windsurf: has(['Windsurf\\Windsurf.exe']),
    zed: has(['Zed\\Zed.exe']),
    'jetbrains-gateway': gateway ? true : undefined,
    terminal: true,
    browser: true,
  };
}
