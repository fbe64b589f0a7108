import { describe, expect, it } from 'vitest';
import { formatBytes, progressText, TransferProgressLine } from './transferProgressLine.js';

function harness(isTTY: boolean) {
  let t = 0;
  const written: string[] = [];
  const line = new TransferProgressLine('put big.bin', {
    out: { write: (s: string) => written.push(s), isTTY },
    now: () => t,
  });
  return { line, written, at: (ms: number) => (t = ms) };
}

const MB = 1_000_000;

describe('TransferProgressLine', () => {
  it('says nothing for a transfer under a second', () => {
    const h = harness(false);
    h.at(500);
    h.line.update({ bytes: 10 * MB, total: 50 * MB });
    h.at(900);
    h.line.update({ bytes: 50 * MB, total: 50 * MB });
    h.line.done();
    expect(h.written).toEqual([]);
  });

  it('prints at most once a second in a log, then the final figures', () => {
    const h = harness(false);
    for (const [ms, bytes] of [
      [1000, 10],
      [1200, 12],
      [1900, 19],
      [2000, 20],
      [2500, 25],
    ] as const) {
      h.at(ms);
      h.line.update({ bytes: bytes * MB, total: 50 * MB });
    }
    h.line.done();
    expect(h.written).toEqual([
      'put big.bin: 10.0 MB / 50.0 MB (20%)\n',
      'put big.bin: 20.0 MB / 50.0 MB (40%)\n',
      'put big.bin: 25.0 MB / 50.0 MB (50%)\n',
    ]);
  });

  it('redraws one line on a terminal and ends it', () => {
    const h = harness(true);
    h.at(1500);
    h.line.update({ bytes: 1 * MB, total: 4 * MB });
    h.line.update({ bytes: 4 * MB, total: 4 * MB });
    h.line.done();
    expect(h.written).toEqual([
      '\rput big.bin: 1.0 MB / 4.0 MB (25%)\x1b[K',
      '\rput big.bin: 4.0 MB / 4.0 MB (100%)\x1b[K',
      '\n',
    ]);
  });
});

describe('formatting', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 KB'],
    [52_428_800, '52.4 MB'],
    [3 * 1e12, '3.0 TB'],
  ])('%d bytes is %s', (n, s) => expect(formatBytes(n)).toBe(s));

  it('an empty file is 100%', () => {
    expect(progressText('get x', { bytes: 0, total: 0 })).toBe('get x: 0 B / 0 B (100%)');
  });
});
