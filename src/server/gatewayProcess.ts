// How the gateway runs a workspace's commands: as the server's own user, in the workspace's
// directory, through the user's shell. Not a sandbox.
//
// A pty: Node has no pty without a native module (none is available here), so a session that
// asked for one runs under util-linux `script -qfec CMD /dev/null`, which gives the command a
// real terminal (isatty, job control, echo, ^C through the line discipline). The size is set
// at start with stty; a later window-change is applied on Linux by finding script's pty in
// /proc and running `stty -F` on it (elsewhere it is ignored). Where `script` is missing we
// fall back to plain pipes (the command then sees no tty). On macOS, BSD script's syntax.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

export interface PtyRequest {
  term: string;
  cols: number;
  rows: number;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function findExecutable(candidates: readonly string[]): string | undefined {
  return candidates.find(isExecutable);
}

const SCRIPT_PATHS = ['/usr/bin/script', '/bin/script', '/usr/local/bin/script'];

/** The user's shell: $SHELL if it is an absolute executable, else the passwd entry's, else /bin/sh. */
export function userShell(): string {
  const fromEnv = process.env.SHELL;
  if (fromEnv && fromEnv.startsWith('/') && isExecutable(fromEnv)) return fromEnv;
  try {
    const sh = os.userInfo().shell;
    if (sh && sh.startsWith('/') && isExecutable(sh)) return sh;
  } catch {
    // no passwd entry (containers): fall through
  }
  return '/bin/sh';
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The environment a command starts with: a small base taken from the server's own (never its
 * secrets), the client's allowlisted variables, then what the session itself defines.
 */
export function commandEnv(
  shell: string,
  clientEnv: Record<string, string>,
  extra: Record<string, string>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'USER', 'LOGNAME', 'TMPDIR', 'LANG', 'TZ']) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  // RUNCODE_SERVER_HOME gives workspace commands another HOME. A command over SSH runs `bash -c`,
  // which then reads ~/.bashrc: test runs set it so that no developer's shell start-up (a pyenv
  // init waiting a minute on a stale lock, say) stalls every command.
  const home = process.env.RUNCODE_SERVER_HOME;
  if (home && home.startsWith('/')) env.HOME = home;
  if (!env.PATH) env.PATH = '/usr/local/bin:/usr/bin:/bin';
  return { ...env, ...clientEnv, ...extra, SHELL: shell };
}

export interface CommandSpec {
  /** undefined: the user's login shell. */
  command?: string;
  pty?: PtyRequest;
  cwd: string;
  env: Record<string, string>;
}

function clampSize(rows: number, cols: number): { rows: number; cols: number } {
  const clamp = (n: number, dflt: number) => Math.max(1, Math.min(Math.floor(Number(n)) || dflt, 1000));
  return { rows: clamp(rows, 24), cols: clamp(cols, 80) };
}

/** The pty `script` made for its child (Linux /proc), or undefined. */
function ptyOfScript(scriptPid: number): string | undefined {
  try {
    const kids = fs.readFileSync(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8').trim().split(/\s+/);
    const tty = fs.readlinkSync(`/proc/${kids[0]}/fd/0`);
    return /^\/dev\/pts\/\d+$/.test(tty) ? tty : undefined;
  } catch {
    return undefined;
  }
}

/** Applies a window-change to a command started with a pty (best effort, Linux only). */
export function resizePty(child: ChildProcess, rows: number, cols: number, tries = 5): void {
  if (process.platform !== 'linux' || child.pid === undefined || child.exitCode !== null) return;
  const tty = ptyOfScript(child.pid);
  if (!tty) {
    // Right after start, script may not have forked its child yet.
    if (tries > 1) setTimeout(() => resizePty(child, rows, cols, tries - 1), 100).unref();
    return;
  }
  const size = clampSize(rows, cols);
  // The kernel sends SIGWINCH to the terminal's foreground process group.
  const stty = spawn('stty', ['-F', tty, 'rows', String(size.rows), 'cols', String(size.cols)], {
    stdio: 'ignore',
  });
  stty.on('error', () => {});
}

/** Starts a command as its own process group (so stopping it reaches its children too). */
export function spawnCommand(spec: CommandSpec): ChildProcess {
  const shell = userShell();
  const script = spec.pty ? findExecutable(SCRIPT_PATHS) : undefined;
  const extra: Record<string, string> = spec.pty ? { TERM: spec.pty.term || 'xterm' } : {};
  const env = commandEnv(shell, spec.env, extra);
  const opts = { cwd: spec.cwd, env, detached: true, stdio: 'pipe' as const };
  if (spec.pty && script) {
    const body = spec.command ?? `exec ${shellQuote(shell)} -l`;
    const { rows, cols } = clampSize(spec.pty.rows, spec.pty.cols);
    const withSize = `stty rows ${rows} cols ${cols} 2>/dev/null; ${body}`;
    // BSD script takes the command as argv; util-linux script runs `$SHELL -c` on its -c string.
    if (process.platform === 'darwin') return spawn(script, ['-q', '/dev/null', shell, '-c', withSize], opts);
    return spawn(script, ['-qfec', withSize, '/dev/null'], opts);
  }
  return spawn(shell, spec.command === undefined ? ['-l'] : ['-c', spec.command], opts);
}

/** HUP the whole process group, then KILL it if it is still there after `graceMs`. */
export function killGroup(child: ChildProcess, graceMs = 2000): void {
  // The group, not just the leader: a shell's background jobs hold the session's pipes open.
  // Linux keeps a pgid from being reused while any member lives, so this never hits a stranger.
  const pid = child.pid;
  if (pid === undefined) return;
  const signalGroup = (sig: NodeJS.Signals): boolean => {
    try {
      process.kill(-pid, sig);
      return true;
    } catch {
      return false; // the group is gone
    }
  };
  if (!signalGroup('SIGHUP')) return;
  signalGroup('SIGCONT');
  const t = setTimeout(() => signalGroup('SIGKILL'), graceMs);
  t.unref();
}
