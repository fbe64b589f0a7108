import { describe, expect, it } from 'vitest';
import type { TrayFacts } from './trayModel.js';
import { trayStateOf } from './trayModel.js';

const calm: TrayFacts = {
  signedIn: true,
  forwardFailed: false,
  linkDown: false,
  renewalFailing: false,
  offline: false,
  running: false,
};

describe('trayStateOf', () => {
  it('is signed-out whatever else holds, while signed out', () => {
    expect(trayStateOf({ ...calm, signedIn: false, forwardFailed: true, running: true })).toBe('signed-out');
  });

  it('is idle, or running once a workspace runs', () => {
    expect(trayStateOf(calm)).toBe('idle');
    expect(trayStateOf({ ...calm, running: true })).toBe('running');
  });

  it('asks for attention on each kind of trouble, even while a workspace runs', () => {
    for (const trouble of ['forwardFailed', 'linkDown', 'renewalFailing', 'offline'] as const) {
      expect(trayStateOf({ ...calm, running: true, [trouble]: true }), trouble).toBe('attention');
    }
  });
});
