import { describe, it, expect } from 'vitest';
import { formatAgo, formatBytes, formatExpiresIn, formatTraffic } from './format.js';

describe('formatBytes', () => {
  it('scales and rounds', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(-5)).toBe('0 B');
    expect(formatBytes(Number.NaN)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(12 * 1024 * 1024 + 1)).toBe('12 MB');
    expect(formatBytes(1024 * 1024 - 1)).toBe('1 MB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3 TB');
  });
});

describe('times', () => {
  const now = Date.parse('2025-01-01T12:00:00Z');
  it('says how long ago', () => {
    expect(formatAgo('2025-01-01T11:59:50Z', now)).toBe('just now');
    expect(formatAgo('2025-01-01T11:55:00Z', now)).toBe('5 min ago');
    expect(formatAgo('2025-01-01T09:00:00Z', now)).toBe('3 h ago');
    expect(formatAgo('2024-12-28T12:00:00Z', now)).toBe('4 d ago');
    expect(formatAgo('not a date', now)).toBe('');
    expect(formatAgo(undefined, now)).toBe('');
  });
  it('says when a pass expires', () => {
    expect(formatExpiresIn('2025-01-01T12:25:00Z', now)).toBe('in 25 min');
    expect(formatExpiresIn('2025-01-01T11:00:00Z', now)).toBe('expired');
    expect(formatExpiresIn('', now)).toBe('');
  });
});

describe('formatTraffic', () => {
  it('shows both directions and connections', () => {
    expect(formatTraffic({ bytesIn: 2048, bytesOut: 300, connections: 1 })).toBe(
      '↓ 2 KB · ↑ 300 B · 1 connection',
    );
    expect(formatTraffic({ bytesIn: 0, bytesOut: 0, connections: 3 })).toBe('↓ 0 B · ↑ 0 B · 3 connections');
  });
});
