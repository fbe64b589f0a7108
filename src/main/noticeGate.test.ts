import { describe, expect, it } from 'vitest';
import { NoticeGate } from './noticeGate.js';

describe('NoticeGate', () => {
  it('shows warnings and errors, and infos worth interrupting for, only when enabled', () => {
    const g = new NoticeGate();
    expect(g.shouldShow({ level: 'error', message: 'refresh failing' }, false, 0)).toBe(false);
    expect(g.shouldShow({ level: 'error', message: 'refresh failing' }, true, 0)).toBe(true);
    expect(g.shouldShow({ level: 'warning', message: '5173 was taken' }, true, 0)).toBe(true);
    expect(g.shouldShow({ level: 'info', message: 'api is ready' }, true, 0)).toBe(true);
    expect(g.shouldShow({ level: 'info', message: 'copied' }, true, 0)).toBe(false);
  });

  it('repeats the same message at most once a minute', () => {
    const g = new NoticeGate(60_000);
    const n = { level: 'error' as const, message: 'refresh failing', code: 'unreachable' };
    expect(g.shouldShow(n, true, 1000)).toBe(true);
    expect(g.shouldShow(n, true, 30_000)).toBe(false);
    expect(g.shouldShow({ ...n, message: 'other' }, true, 30_000)).toBe(true);
    expect(g.shouldShow(n, true, 61_001)).toBe(true);
  });
});
