import os from 'node:os';
import type { RuncodeApp } from '../../core/app/runcodeApp.js';
import { remoteExec } from '../../core/ssh/remoteExec.js';
import type { RemoteExecResult } from '../../core/ssh/remoteExec.js';
import type { Client } from 'ssh2';
import { stateDir } from '../../core/paths.js';
import { defineCommand, UsageError } from '../defineCommand.js';
import { withWorkspaceSsh, workspaceName } from '../ensureConnected.js';
import { onlyConnected, withFreshSsh } from '../freshTarget.js';
import { guardedOutput } from '../guardedOutput.js';

export const execCommand = defineCommand({
  name: 'exec',
  usage: `usage: runcode exec [NAME] -- CMD [ARG...]

NAME may be left out when exactly one workspace is connected (handy for agents). Runs one command in the workspace's workdir over SSH (no ssh config needed). Its stdout and
stderr stream here as they come; piped stdin is passed on; the exit code is the command's
(128+N when signal N ended it, as a shell reports it). Each ARG reaches the command as it is
(quoted for the remote shell); for pipes or variables use \`-- sh -c '...'\`.
`,
  options: {},
  positionals: { min: 0, max: 1 },
  run: async ({ positionals: [name], rest }) => {
    if (rest.length === 0) throw new UsageError('nothing to run: give the command after `--`');
    // A fresh pass needs no control plane: connect from the record alone (freshTarget.ts). The
    // full path (RuncodeApp, loaded only then) reconnects or says what is wrong.
    const dir = stateDir();
    const fastName = name === undefined ? await onlyConnected(dir) : workspaceName(name);
    if (fastName !== undefined) {
      const fast = await withFreshSsh(dir, fastName, (client) => runRemote(client, rest));
      if (fast.ran) return fast.value;
    }
    const { withCliApp } = await import('../cliApp.js');
    return withCliApp(async (app) =>
      withWorkspaceSsh(
        app,
        name === undefined ? await attachedWorkspace(app) : workspaceName(name),
        (client) => runRemote(client, rest),
      ),
    );
  },
});

/** Runs `argv` in the workspace, streaming output; resolves with the exit code a shell shows. */
async function runRemote(client: Client, argv: string[]): Promise<number> {
  // Ctrl-C ends the remote command too (TERM, channel closed), then exits as a shell would.
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  // A closed stdout (`| head`) ends the command as SIGPIPE would, not with a stack trace.
  const stdout = guardedOutput(process.stdout, () => abort.abort());
  const stderr = guardedOutput(process.stderr);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stdin = process.stdin.isTTY ? undefined : process.stdin;
  try {
    const result = await remoteExec(client, argv.map(shellQuote).join(' '), {
      stdout: stdout.sink,
      stderr: stderr.sink,
      ...(stdin ? { stdin } : {}),
      signal: abort.signal,
    });
    return exitCode(result);
  } catch (e) {
    if (abort.signal.aborted) return stdout.broken() ? 128 + os.constants.signals.SIGPIPE : 130;
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    stdout.dispose();
    stderr.dispose();
    // The remote side is done; a still-open stdin pipe must not keep us alive.
    stdin?.unpipe();
    stdin?.destroy();
  }
}

/** The one connected workspace, for `runcode exec -- CMD` without a name. */
async function attachedWorkspace(app: RuncodeApp): Promise<string> {
  const names = (await app.connections.list()).map((c) => c.name);
  if (names.length === 1) return names[0]!;
  throw new UsageError(
    names.length === 0
      ? 'no workspace is connected: name one, or `runcode connect NAME` first'
      : `several workspaces are connected (${names.join(', ')}): name one`,
  );
}

/** POSIX shell quoting: plain words as they are, anything else in single quotes. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The remote exit status, or 128 + the signal's number (a shell's convention). */
export function exitCode(r: RemoteExecResult): number {
  if (r.code !== null) return r.code;
  const n = r.signal ? os.constants.signals[r.signal as NodeJS.Signals] : undefined;
  return 128 + (n ?? 0);
}
