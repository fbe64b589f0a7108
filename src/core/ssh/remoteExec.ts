// Runs one command in the workspace over an existing ssh2 connection: stdout and stderr stream
// out as they come (with backpressure when they go to a Writable), stdin is optional, and the
// result is the remote exit code (or the signal that ended it).
import type { Readable, Writable } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { RuncodeError } from '../errors.js';

export type OutputSink = Writable | ((chunk: Buffer) => void);

export interface RemoteExecOptions {
  stdout?: OutputSink;
  stderr?: OutputSink;
  /** Sent then closed; without it the command's stdin is closed at once. */
  stdin?: Readable | string | Buffer;
  /** Aborting sends TERM to the command and closes the channel. */
  signal?: AbortSignal;
}

export interface RemoteExecResult {
  /** The exit status; null when a signal ended the command. */
  code: number | null;
  /** Node's name for it (`SIGTERM`), when a signal ended the command. */
  signal?: string;
}

function attach(from: Readable, to: OutputSink | undefined): void {
  if (to === undefined) from.resume();
  else if (typeof to === 'function') from.on('data', (b: Buffer) => to(b));
  // The caller's stream stays open (it may be process.stdout).
  else from.pipe(to, { end: false });
}

function feed(channel: ClientChannel, stdin: RemoteExecOptions['stdin']): void {
  if (stdin === undefined) channel.end();
  else if (typeof stdin === 'string' || Buffer.isBuffer(stdin)) channel.end(stdin);
  else stdin.pipe(channel);
}

export function remoteExec(
  client: Client,
  command: string,
  opts: RemoteExecOptions = {},
): Promise<RemoteExecResult> {
  if (opts.signal?.aborted) return Promise.reject(cancelled());
  return new Promise((resolve, reject) => {
    client.exec(command, (err, channel) => {
      if (err) {
        reject(
          new RuncodeError('exec_failed', `the workspace refused to run the command: ${err.message}`, {
            cause: err,
          }),
        );
        return;
      }
      let exit: RemoteExecResult | undefined;
      let aborted = false;
      const onAbort = (): void => {
        aborted = true;
        channel.signal('TERM');
        // A stalled sink (say, stdout closed under `| head`) leaves the channel paused with data
        // buffered, and ssh2 emits 'close' only after 'end': drain it so the promise settles.
        channel.unpipe();
        channel.stderr.unpipe();
        channel.resume();
        channel.stderr.resume();
        channel.close();
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      channel.on('exit', (code: number | null, signal?: string) => {
        exit = signal
          ? { code: null, signal: signal.startsWith('SIG') ? signal : `SIG${signal}` }
          : { code: code ?? null };
      });
      channel.on('error', () => channel.close());
      channel.once('close', () => {
        opts.signal?.removeEventListener('abort', onAbort);
        if (aborted) reject(cancelled());
        else if (exit) resolve(exit);
        else
          reject(
            new RuncodeError(
              'exec_failed',
              'the command ended without an exit status (the connection or the workspace went away)',
            ),
          );
      });
      attach(channel, opts.stdout);
      attach(channel.stderr, opts.stderr);
      feed(channel, opts.stdin);
    });
  });
}

function cancelled(): RuncodeError {
  return new RuncodeError('cancelled', 'the command was cancelled');
}
