// Joins one accepted local socket to one SSH channel, both ways, with backpressure (pipe), and
// counts the bytes. The socket is read while the channel is still opening, so a request that is
// already here goes out the moment the channel is confirmed (one event-loop turn less on the
// first byte); that early buffer is capped, beyond it the socket is paused.
import type net from 'node:net';
import type { ClientChannel } from 'ssh2';

export interface BridgeHooks {
  /** Bytes from the workspace to the local client. */
  onBytesIn(n: number): void;
  /** Bytes from the local client to the workspace. */
  onBytesOut(n: number): void;
  /** The channel could not be opened. */
  onOpenError(err: unknown): void;
  /** The channel opened (something listens on the remote port). */
  onOpen?(): void;
}

const EARLY_LIMIT = 256 * 1024;

/**
 * What a channel keeps for a local reader slower than the workspace (a paused browser tab, a
 * client on a loaded machine). pipe() pauses the channel when the socket's write() says full,
 * but ssh2 keeps granting the workspace window until the channel's own buffer reaches its high
 * water mark: 2 MiB, on top of the 2 MiB window already granted, so up to ~4 MiB a channel.
 * With this mark the window stops being topped up as soon as this much waits, so what the
 * workspace may still send is what it was granted: ~2 MiB a channel, half as much, and
 * nothing changes while the reader keeps up (a flowing channel buffers nothing).
 */
export const CHANNEL_BUFFER = 64 * 1024;

/** Lowers the channel's readable high water mark (ssh2 sets it to its whole window). */
function capBuffer(ch: ClientChannel): void {
  const state = (ch as unknown as { _readableState?: { highWaterMark?: unknown } })._readableState;
  if (state && typeof state.highWaterMark === 'number' && state.highWaterMark > CHANNEL_BUFFER)
    state.highWaterMark = CHANNEL_BUFFER;
}

export function bridgeSocket(sock: net.Socket, open: Promise<ClientChannel>, hooks: BridgeHooks): void {
  let channel: ClientChannel | undefined;
  const early: Buffer[] = [];
  let earlyBytes = 0;
  let earlyEnd = false;
  const onEarlyData = (b: Buffer): void => {
    early.push(b);
    earlyBytes += b.length;
    if (earlyBytes >= EARLY_LIMIT) sock.pause();
  };
  const onEarlyEnd = (): void => {
    earlyEnd = true;
  };
  sock.on('data', onEarlyData);
  sock.once('end', onEarlyEnd);
  sock.once('close', () => channel?.close());

  open.then(
    (ch) => {
      if (sock.destroyed) {
        ch.close();
        return;
      }
      channel = ch;
      capBuffer(ch);
      hooks.onOpen?.();
      // Stop the early reader without losing a chunk: pause first, then hand over to pipe.
      sock.pause();
      sock.off('data', onEarlyData);
      sock.off('end', onEarlyEnd);
      ch.on('data', (b: Buffer) => hooks.onBytesIn(b.length));
      ch.on('error', () => sock.destroy());
      // The channel closed: what is queued for the local socket is flushed, then it ends.
      ch.once('close', () => {
        sock.unpipe(ch);
        // end() on a finished socket builds an error object (a stack trace) for nothing.
        if (!sock.destroyed && !sock.writableEnded) sock.end();
      });
      ch.pipe(sock);
      for (const b of early) ch.write(b);
      if (earlyBytes) hooks.onBytesOut(earlyBytes);
      early.length = 0;
      if (earlyEnd) {
        ch.end();
        return;
      }
      sock.on('data', (b: Buffer) => hooks.onBytesOut(b.length));
      sock.pipe(ch);
    },
    (err: unknown) => {
      hooks.onOpenError(err);
      sock.destroy();
    },
  );
}
