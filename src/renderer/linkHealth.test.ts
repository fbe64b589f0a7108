import { describe, expect, it } from 'vitest';
import { linkHealthText } from './linkHealth.js';

const now = Date.parse('2025-01-01T12:00:00Z');
const pass = '2025-01-01T12:25:00Z';

describe('linkHealthText', () => {
  it('a connection without a kept link: ssh and the pass', () => {
    expect(linkHealthText({ passExpiresAt: pass }, now)).toEqual({
      compact: 'ssh',
      full: 'Connected over ssh; ssh pass expires in 25 min',
      tone: 'good',
    });
  });

  it('up: the round trip compact, since when and the pass in full', () => {
    const t = linkHealthText(
      {
        passExpiresAt: pass,
        link: { state: 'up', since: '2025-01-01T11:55:00Z', rttMs: 42, rttAt: '2025-01-01T11:59:58Z' },
      },
      now,
    );
    expect(t.compact).toBe('ssh 42 ms');
    expect(t.tone).toBe('good');
    expect(t.full).toBe(
      'SSH link up since 5 min ago; round trip 42 ms (just now); ssh pass expires in 25 min',
    );
  });

  it('down: why, the next try and the last round trip', () => {
    const t = linkHealthText(
      {
        passExpiresAt: pass,
        link: {
          state: 'down',
          since: '2025-01-01T11:58:00Z',
          reason: 'the gateway closed the connection',
          nextRetryAt: '2025-01-01T12:00:04.200Z',
          rttMs: 42,
          rttAt: '2025-01-01T11:50:00Z',
        },
      },
      now,
    );
    expect(t).toEqual({
      compact: 'link down',
      tone: 'bad',
      full: 'SSH link down since 2 min ago: the gateway closed the connection; next try in 5 s; last round trip 42 ms; ssh pass expires in 25 min',
    });
    const due = linkHealthText(
      { link: { state: 'down', since: '2025-01-01T11:58:00Z', nextRetryAt: '2025-01-01T11:59:00Z' } },
      now,
    );
    expect(due.full).toBe('SSH link down since 2 min ago; next try now');
  });

  it('connecting', () => {
    expect(linkHealthText({ link: { state: 'connecting', since: '2025-01-01T12:00:00Z' } }, now)).toEqual({
      compact: 'ssh …',
      full: 'SSH link connecting',
      tone: 'busy',
    });
  });
});
