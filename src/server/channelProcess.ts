// Joins a child process to an SSH session channel: stdin with backpressure and EOF, stdout and
// stderr kept apart, and the exit status (or signal) sent only after the output has gone out.
import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import type { ServerChannel } from 'ssh2';
import { killGroup } from './gatewayProcess.js';

const noop = (): void => {};

/** Resolves once everything written so far has been handed to the SSH layer (or the channel closed). */
function flushed(channel: ServerChannel): Promise<void> {
  if (!channel.writable) return Promise.resolve();
  return new Promise<void>((resolve) => {
    let pending = 2;
    const one = (): void => {
      if (--pending === 0) done();
    };
    const done = (): void => {
      channel.off('close', done);
      resolve();
    };
    channel.once('close', done);
    // An empty write's callback runs after every earlier write to the same stream completed.
    channel.write(Buffer.alloc(0), one);
    channel.stderr.write(Buffer.alloc(0), one);
  });
}

/** Sends exit-status (or exit-signal) and closes the channel, after pending output. */
export async function finishChannel(
  channel: ServerChannel,
  code: number | null,
  signal: NodeJS.Signals | null,
): Promise<void> {
  await flushed(channel);
  if (!channel.writable) return;
  try {
    if (signal) channel.exit(signal, false, '');
    else channel.exit(code ?? 255);
  } catch {
    // ssh2 refuses signal names outside RFC 4254's list: report the shell's 128+n instead.
    channel.exit(128 + (signal ? (os.constants.signals[signal] ?? 0) : 127));
  }
  channel.end();
}

export class ChannelProcess {
  private finished = false;
  /** The command ended by itself (its output closed); what it left running is its business, as with sshd. */
  private exited = false;

  constructor(
    readonly channel: ServerChannel,
    readonly child: ChildProcess,
  ) {
    channel.on('error', noop);
    channel.stderr.on('error', noop);
    child.stdin?.on('error', noop);
    child.stdout?.on('error', noop);
    child.stderr?.on('error', noop);
    if (child.stdin) channel.pipe(child.stdin);
    child.stdout?.pipe(channel, { end: false });
    child.stderr?.pipe(channel.stderr, { end: false });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (this.finished) return;
      channel.stderr.write(`runcode: cannot run the command: ${err.message}\n`);
      this.finish(err.code === 'ENOENT' ? 127 : 126, null);
    });
    child.on('close', (code, signal) => {
      this.exited = true;
      this.finish(code, signal);
    });
    // The client went away: nobody is left to read, so stop the command.
    channel.on('close', () => {
      if (!this.finished) {
        this.finished = true;
        if (!this.exited) killGroup(this.child);
      }
    });
  }

  private finish(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.finished) return;
    this.finished = true;
    void finishChannel(this.channel, code, signal);
  }

  /**
   * Ends the command from our side: `message` on stderr, then exit status 255 and close.
   * Resolves when the client has closed the channel too: OpenSSH drops stderr it has received
   * but not yet written out if a disconnect follows at once, so the caller waits for this.
   */
  async stop(message: string): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    const closed = new Promise<void>((resolve) => this.channel.once('close', () => resolve()));
    this.child.stdout?.unpipe(this.channel);
    this.child.stderr?.unpipe(this.channel.stderr);
    killGroup(this.child);
    if (this.channel.writable) this.channel.stderr.write(message);
    await finishChannel(this.channel, 255, null);
    await closed;
  }

  /** Kills the command without a word (connection gone, gateway closing). */
  kill(): void {
    this.finished = true;
    if (!this.exited) killGroup(this.child);
  }
}
