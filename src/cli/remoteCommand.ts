// One command in a workspace as `runcode exec` runs it over an ssh2 connection: the argv quoted
// for the remote shell, output streamed to ours, piped stdin passed on, Ctrl-C ending the remote
// command too, and the exit code a shell would show. Apart from execCommand.ts so that the fast
// path (execFastPath.ts) can use it without the full path's modules.
import os from 'node:os';
import type { Client } from 'ssh2';
import { remoteExec } from '../core/ssh/remoteExec.js';
import type { RemoteExecResult } from '../core/ssh/remoteExec.js';
import { guardedOutput } from './guardedOutput.js';

/** Runs `argv` in the workspace, streaming output; resolves with the exit code a shell shows. */
export async function runRemote(client: Client, argv: string[]): Promise<number> {
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
