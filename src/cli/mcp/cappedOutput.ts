// One stream of a command's output, kept within a cap for a model's context: the first half of the
// cap and the last half (the end is where a build or test run says what went wrong), with a note
// in between of how much was cut. Memory stays bounded however much the command prints.

export class CappedOutput {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private readonly tail: Buffer[] = [];
  private tailBytes = 0;
  /** Everything the command wrote to this stream. */
  total = 0;

  constructor(readonly cap: number) {}

  get headCap(): number {
    return Math.floor(this.cap / 2);
  }

  get tailCap(): number {
    return this.cap - this.headCap;
  }

  /** Bytes left out of text(). */
  get cut(): number {
    return Math.max(0, this.total - this.cap);
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headCap) {
      const take = rest.subarray(0, this.headCap - this.headBytes);
      this.head.push(take);
      this.headBytes += take.length;
      rest = rest.subarray(take.length);
    }
    if (rest.length === 0) return;
    this.tail.push(rest);
    this.tailBytes += rest.length;
    while (this.tail.length > 1 && this.tailBytes - this.tail[0]!.length >= this.tailCap) {
      this.tailBytes -= this.tail.shift()!.length;
    }
  }

  text(): string {
    const head = Buffer.concat(this.head);
    const tail = Buffer.concat(this.tail);
    if (this.cut === 0) return Buffer.concat([head, tail]).toString('utf8');
    let last = tail.subarray(tail.length - this.tailCap);
    // Start on a character, not in the middle of a UTF-8 sequence.
    let skip = 0;
    while (skip < 3 && skip < last.length && (last[skip]! & 0xc0) === 0x80) skip++;
    last = last.subarray(skip);
    return `${head.toString('utf8')}\n[... ${this.cut} bytes cut: the first and last ${this.headCap} are kept; redirect to a file and get_file it for all ...]\n${last.toString('utf8')}`;
  }
}
