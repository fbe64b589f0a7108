import { describe, expect, it } from 'vitest';
import type { SseEvent } from './sseParser.js';
import { SseParser } from './sseParser.js';

function parse(chunks: (string | Buffer)[], limits?: { maxLineBytes: number; maxEventBytes: number }) {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const p = new SseParser(
    { onEvent: (e) => events.push(e), onComment: (c) => comments.push(c), onRetry: (ms) => retries.push(ms) },
    limits,
  );
  for (const c of chunks) p.push(typeof c === 'string' ? Buffer.from(c) : c);
  return { events, comments, retries, lastEventId: p.lastEventId };
}

const STREAM =
  '\ufeffretry: 2000\n\n: heartbeat\n\nid: 7\nevent: workspace\ndata: {"a":1,\ndata:  "b":2}\n\n' +
  'data:no space\r\n\r\nid\nfield-without-value\ndata\n\nevent: x\n\n';

describe('SseParser', () => {
  it('parses ids, types, multi-line data, comments and retry', () => {
    const r = parse([STREAM]);
    expect(r.retries).toEqual([2000]);
    expect(r.comments).toEqual(['heartbeat']);
    expect(r.events).toEqual([
      { id: '7', type: 'workspace', data: '{"a":1,\n "b":2}' },
      { id: '7', type: 'message', data: 'no space' },
      // A bare `id` line resets the ID; a bare `data` line is an empty data line.
      { id: '', type: 'message', data: '' },
    ]);
    // `event: x` with no data dispatches nothing.
    expect(r.events).toHaveLength(3);
  });

  it('gives the same result whatever the chunking, byte by byte included', () => {
    const whole = parse([STREAM]);
    const bytes = Buffer.from(STREAM);
    const single = parse([...bytes].map((b) => Buffer.from([b])));
    expect(single).toEqual(whole);
    for (let cut = 1; cut < bytes.length; cut += 3) {
      expect(parse([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    }
  });

  it('treats CR, LF and CRLF as line ends, a CRLF split across chunks as one', () => {
    const r = parse(['data: a\r', '\ndata: b\r\r', 'data: c\n', '\n']);
    expect(r.events.map((e) => e.data)).toEqual(['a\nb', 'c']);
  });

  it('decodes a UTF-8 character split across chunks', () => {
    const b = Buffer.from('data: caf\u00e9 \u2603\n\n');
    const r = parse([b.subarray(0, 10), b.subarray(10, 11), b.subarray(11)]);
    expect(r.events[0]!.data).toBe('caf\u00e9 \u2603');
  });

  it('ignores an id containing NUL and moves the ID on an event without data', () => {
    const r = parse(['id: 3\ndata: x\n\nid: 4\u0000\ndata: y\n\nid: 9\n\n']);
    expect(r.events.map((e) => e.id)).toEqual(['3', '3']);
    expect(r.lastEventId).toBe('9');
  });

  it('drops an event the stream ends in the middle of', () => {
    const r = parse(['id: 1\ndata: done\n\nid: 2\ndata: half']);
    expect(r.events.map((e) => e.data)).toEqual(['done']);
    expect(r.lastEventId).toBe('1');
  });

  it('accepts only digits in retry', () => {
    expect(parse(['retry: 1x\nretry: -5\nretry: 300\n\n']).retries).toEqual([300]);
  });

  it('refuses an event larger than the bound, even in small lines', () => {
    const limits = { maxLineBytes: 1024, maxEventBytes: 100 };
    expect(parse(['data: ' + 'x'.repeat(100) + '\n\n'], limits).events).toHaveLength(1);
    const many = Array.from({ length: 30 }, () => 'data: 12345\n').join('');
    expect(() => parse([many], limits)).toThrow(/event larger than/);
  });

  it('refuses a line longer than the bound before it ends', () => {
    const limits = { maxLineBytes: 64, maxEventBytes: 1024 };
    const chunks = Array.from({ length: 10 }, () => 'data: 0123456789');
    expect(() => parse(chunks, limits)).toThrow(expect.objectContaining({ code: 'bad_stream' }));
  });
});
