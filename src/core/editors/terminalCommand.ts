// The command that opens the platform's terminal running `ssh runcode.NAME`. Always a program
// plus an argument array (spawned without a shell). The alias is re-checked against a strict
// pattern here because on macOS it ends up inside an AppleScript string literal and on Windows
// on cmd's command line: with only [a-z0-9.-] there is nothing that could close a quote.
import path from 'node:path';
import { RuncodeError } from '../errors.js';
import type { FsProbe } from './findExecutable.js';
import { findExecutable, realFs } from './findExecutable.js';

export interface LaunchCommand {
  file: string;
  args: string[];
}

const ALIAS = /^runcode\.[a-z0-9][a-z0-9-]{0,62}$/;

/** Linux terminals in the order tried, and how each takes a command to run. */
const LINUX_TERMINALS: readonly { cmd: string; args: (alias: string) => string[] }[] = [
  { cmd: 'x-terminal-emulator', args: (a) => ['-e', 'ssh', a] },
  { cmd: 'gnome-terminal', args: (a) => ['--', 'ssh', a] },
  { cmd: 'konsole', args: (a) => ['-e', 'ssh', a] },
  { cmd: 'xfce4-terminal', args: (a) => ['-x', 'ssh', a] },
  { cmd: 'alacritty', args: (a) => ['-e', 'ssh', a] },
  { cmd: 'kitty', args: (a) => ['ssh', a] },
  { cmd: 'xterm', args: (a) => ['-e', 'ssh', a] },
];

export const LINUX_TERMINAL_NAMES = LINUX_TERMINALS.map((t) => t.cmd);

/** Where iTerm2 lives if it is installed. */
export function itermPath(env: NodeJS.ProcessEnv, probe: FsProbe = realFs): string | undefined {
  const places = ['/Applications/iTerm.app'];
  if (env.HOME) places.push(path.posix.join(env.HOME, 'Applications', 'iTerm.app'));
  return places.find((p) => probe.exists(p));
}

export function terminalCommand(
  alias: string,
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  probe: FsProbe = realFs,
): LaunchCommand {
  if (!ALIAS.test(alias))
    throw new RuncodeError('bad_argument', `"${alias.slice(0, 80)}" is not a RunCode ssh alias`);
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
          `create window with default profile command "ssh ${alias}"`,
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
        `do script "ssh ${alias}"`,
        '-e',
        'end tell',
      ],
    };
  }
  if (platform === 'win32') {
    const wt = findExecutable('wt.exe', platform, env, probe);
    if (wt) return { file: wt, args: ['ssh', alias] };
    const cmd = env.ComSpec && path.win32.isAbsolute(env.ComSpec) ? env.ComSpec : 'cmd.exe';
    return { file: cmd, args: ['/c', 'start', 'ssh', alias] };
  }
  for (const t of LINUX_TERMINALS) {
    const found = findExecutable(t.cmd, platform, env, probe);
    if (found) return { file: found, args: t.args(alias) };
  }
  throw new RuncodeError(
    'no_terminal',
    `no terminal program found on PATH (looked for ${LINUX_TERMINAL_NAMES.join(', ')}); run \`ssh ${alias}\` yourself`,
  );
}
