import fs from 'node:fs/promises';
import os from 'node:os';
import { remoteExec } from '../../core/ssh/remoteExec.js';
import type { RemoteExecResult } from '../../core/ssh/remoteExec.js';
import type { Client } from 'ssh2';
import { stateDir } from '../../core/paths.js';
import { isWorkspaceName } from '../../core/ssh/sshValues.js';
import { attachedPath } from '../../core/state/attachmentPath.js';
import { defineCommand, UsageError, workspaceOption } from '../defineCommand.js';
import { onlyConnected, withFreshSsh } from '../freshTarget.js';
import { guardedOutput } from '../guardedOutput.js';

export const execCommand = defineCommand({
  name: 'exec',
  usage: `usage: runcode exec [-w NAME] -- CMD [ARG...]

Runs a command on the attached workspace (no name needed; preferred for agents), in its workdir,
over SSH (no ssh config needed). Its stdout and stderr stream here as they come; piped stdin is
passed on; the exit code is the command's (128+N when signal N ended it, as a shell reports it).
Each ARG reaches the command as it is (quoted for the remote shell); for pipes or variables use
\`-- sh -c '...'\`.

  -w, --workspace NAME   run it on another workspace (\`runcode exec NAME -- CMD\` works too)
`,
  options: { ...workspaceOption },
  positionals: { min: 0, max: 1, names: ['NAME'] },
  run: async ({ values, positionals: [given], rest }) => {
    if (rest.length === 0) throw new UsageError('missing CMD: give the command after `--`');
    // A fresh pass needs no control plane: connect from the record alone (freshTarget.ts). The
    // full path (RuncodeApp, loaded only then) validates, reconnects or says what is wrong.
    const dir = stateDir();
    const named = given ?? values.workspace;
    const fastName =
      given !== undefined && values.workspace !== undefined && given !== values.workspace
        ? undefined
        : named !== undefined
          ? isWorkspaceName(named)
            ? named
            : undefined
          : await attachedOrOnly(dir);
    if (fastName !== undefined) {
      const fast = await withFreshSsh(dir, fastName, (client) => runRemote(client, rest));
      if (fast.ran) return fast.value;
    }
    const [{ withCliApp }, { targetWorkspace, withWorkspaceSsh }] = await Promise.all([
      import('../cliApp.js'),
      import('../ensureConnected.js'),
    ]);
    return withCliApp(async (app) =>
      withWorkspaceSsh(app, await targetWorkspace(app, given, values.workspace), (client) =>
        runRemote(client, rest),
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

/**
 * The fast path's idea of the target: the attached workspace, else the only connected one;
 * undefined when attached.json is anything but absent or plainly well formed (the full path then
 * reads it properly and reports a damaged file).
 */
async function attachedOrOnly(dir: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await fs.readFile(attachedPath(dir), 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? onlyConnected(dir) : undefined;
  }
  try {
    const v = JSON.parse(text) as { version?: unknown; name?: unknown };
    return v.version === 1 && typeof v.name === 'string' && isWorkspaceName(v.name) ? v.name : undefined;
  } catch {
    return undefined;
  }
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
