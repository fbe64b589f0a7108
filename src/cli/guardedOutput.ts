// Our stdout/stderr as a sink for a remote command's output that never stops the flow: with
// backpressure while the stream works, and discarding once it fails (EPIPE after `| head`).
// A sink that simply died would leave the ssh2 channel paused with data buffered, and a paused
// channel never emits 'close' (ssh2 waits for 'end'), so the command could never finish.
import { Writable } from 'node:stream';

export interface GuardedOutput {
  sink: Writable;
  /** True once the stream failed. */
  broken(): boolean;
  dispose(): void;
}

export function guardedOutput(
  out: NodeJS.WritableStream,
  onBroken: () => void = () => undefined,
): GuardedOutput {
  let broken = false;
  let pending: (() => void) | undefined;
  const release = (): void => {
    out.off('drain', release);
    const cb = pending;
    pending = undefined;
    cb?.();
  };
  const onError = (): void => {
    if (broken) return;
    broken = true;
    release();
    onBroken();
  };
  out.on('error', onError);
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (broken || out.write(chunk)) return cb();
      pending = () => cb();
      out.once('drain', release);
    },
  });
  return {
    sink,
    broken: () => broken,
    dispose: () => {
      out.off('error', onError);
      release();
    },
  };
}
