import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { guardedOutput } from './guardedOutput.js';

/** A stream that accepts one chunk, then reports backpressure until drained by hand. */
function slowStream() {
  const got: string[] = [];
  const s = new Writable({
    highWaterMark: 1,
    write: (c: Buffer, _e, cb) => (got.push(c.toString()), held.push(cb)),
  });
  const held: ((e?: Error) => void)[] = [];
  return { s, got, held };
}

const write = (w: Writable, text: string) => new Promise<void>((resolve) => w.write(text, () => resolve()));

describe('guardedOutput', () => {
  it('passes backpressure on while the stream works', async () => {
    const { s, got, held } = slowStream();
    const g = guardedOutput(s);
    let done = false;
    void write(g.sink, 'a').then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect({ got, done }).toEqual({ got: ['a'], done: false });
    held.shift()!();
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(true);
    g.dispose();
  });

  it('once the stream fails: says so once, releases a waiting write, then discards', async () => {
    const { s, got, held } = slowStream();
    let broken = 0;
    const g = guardedOutput(s, () => broken++);
    const first = write(g.sink, 'a');
    await new Promise((r) => setImmediate(r));
    held.shift()!(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await first;
    await write(g.sink, 'b');
    await write(g.sink, 'c');
    expect({ got, broken, isBroken: g.broken() }).toEqual({ got: ['a'], broken: 1, isBroken: true });
    g.dispose();
  });
});
