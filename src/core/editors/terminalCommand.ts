// The command that opens the platform's terminal running `ssh runcode.NAME`, or, given RunCode's
// own ssh config, `ssh -F <state>/ssh_config runcode.NAME` (then nothing in ~/.ssh/config is
// needed or applies). Always a program plus an argument array (spawned without a shell). The alias
// is re-checked against a strict pattern here because on macOS it ends up inside an AppleScript
// string literal and on Windows on cmd's command line: with only [a-z0-9.-] there is nothing that
// could close a quote. The config path is quoted for each of those (or refused where it cannot be).
import path from 'node:path';
import { RuncodeError } from '../errors.js';
import type { FsProbe } from './findExecutable.js';
import { findExecutable, realFs } from './findExecutable.js';
import { WORKSPACE_NAME_SOURCE } from '../../shared/workspaceName.js';

export interface LaunchCommand {
  file: string;
  args: string[];
}

const ALIAS = new RegExp(`^runcode\\.${WORKSPACE_NAME_SOURCE}$`);

/** Linux terminals in the order tried, and how each takes a command to run. */
const LINUX_TERMINALS: readonly { cmd: string; args: (ssh: string[]) => string[] }[] = [
  { cmd: 'x-terminal-emulator', args: (s) => ['-e', ...s] },
  { cmd: 'gnome-terminal', args: (s) => ['--', ...s] },
  { cmd: 'konsole', args: (s) => ['-e', ...s] },
  { cmd: 'xfce4-terminal', args: (s) => ['-x', ...s] },
  { cmd: 'alacritty', args: (s) => ['-e', ...s] },
  { cmd: 'kitty', args: (s) => s },
  { cmd: 'xterm', args: (s) => ['-e', ...s] },
];

export const LINUX_TERMINAL_NAMES = LINUX_TERMINALS.map((t) => t.cmd);

/** Where iTerm2 lives if it is installed. */
export function itermPath(env: NodeJS.ProcessEnv, probe: FsProbe = realFs): string | undefined {
  const places = ['/Applications/iTerm.app'];
  if (env.HOME) places.push(path.posix.join(env.HOME, 'Applications', 'iTerm.app'));
  return places.find((p) => probe.exists(p));
}

/** sh's single quotes, then an AppleScript string's escapes (it lands in `do script "..."`). */
function appleScriptShellWord(word: string): string {
  const sh = /^[A-Za-z0-9._/:=@+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
  return sh.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

/** cmd's `start` re-parses its line: a path with any of its metacharacters cannot be passed safely. */
const CMD_UNSAFE = /["%^&|<>!\r\n]/;

export function terminalCommand(
  alias: string,
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  probe: FsProbe = realFs,
  /** RunCode's own ssh config (`ssh -F` it), or undefined for plain `ssh ALIAS`. */
  sshConfig?: string,
): LaunchCommand {
  if (!ALIAS.test(alias))
    throw new RuncodeError('invalid_argument', `"${alias.slice(0, 80)}" is not a RunCode ssh alias`);
  if (
    sshConfig !== undefined &&
    (!(platform === 'win32' ? path.win32 : path.posix).isAbsolute(sshConfig) || CONTROL.test(sshConfig))
  )
    throw new RuncodeError(
      'invalid_argument',
      'the ssh config path must be absolute, without control characters',
    );
  const ssh = sshConfig === undefined ? ['ssh', alias] : ['ssh', '-F', sshConfig, alias];
  const sshLine = ssh.map(appleScriptShellWord).join(' ');
  if (platform === 'darwin') {
    // iTerm2 when installed (people who install it use it), else Terminal. AppleScript rather
    // than a .command file: nothing is written to disk and nothing else is run.
    if (itermPath(env, probe)) {
      return {
        file: '/usr/bin/osascript',
        args: [
          '-e',
          'tell application "iTerm"',
          '-e',
          'activate',
          '-e',
          `create window with default profile command "${sshLine}"`,
          '-e',
          'end tell',
        ],
      };
    }
    return {
      file: '/usr/bin/osascript',
      args: [
        '-e',
        'tell application "Terminal"',
        '-e',
        'activate',
        '-e',
        `do script "${sshLine}"`,
        '-e',
        'end tell',
      ],
    };
  }
  if (platform === 'win32') {
    const wt = findExecutable('wt.exe', platform, env, probe);
    if (wt) return { file: wt, args: ssh };
    if (sshConfig !== undefined && CMD_UNSAFE.test(sshConfig)) {
      throw new RuncodeError(
        'invalid_argument',
        `cmd cannot be given the ssh config path safely (it has one of " % ^ & | < > !); install Windows Terminal, or run \`ssh -F <path> ${alias}\` yourself`,
      );
    }
    const cmd = env.ComSpec && path.win32.isAbsolute(env.ComSpec) ? env.ComSpec : 'cmd.exe';
    return { file: cmd, args: ['/c', 'start', ...ssh] };
  }
  for (const t of LINUX_TERMINALS) {
    const found = findExecutable(t.cmd, platform, env, probe);
    if (found) return { file: found, args: t.args(ssh) };
  }
  throw new RuncodeError(
    'no_terminal',
    `no terminal program found on PATH (looked for ${LINUX_TERMINAL_NAMES.join(', ')}); run \`${ssh.join(' ')}\` yourself`,
  );
}
