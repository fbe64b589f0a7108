import { describe, expect, it } from 'vitest';
import type { RuncodeApp } from '../app/runcodeApp.js';
import { FakeClock } from '../testing/fakeClock.js';
import { UpdateActions, updateView } from './updateActions.js';

function fakeApp(autoUpdate: boolean | undefined) {
  const clock = new FakeClock();
  const app = { clock, settings: { get: async () => ({ autoUpdate }) } } as unknown as RuncodeApp;
  return { app, clock };
}

describe('UpdateActions', () => {
  it('without a backend: no update view, Check now is not supported', async () => {
    const { app } = fakeApp(true);
    const u = new UpdateActions({ app, notice: () => undefined, changed: () => undefined });
    expect(u.view()).toBeUndefined();
    await expect(u.check()).rejects.toMatchObject({ code: 'not_supported' });
    expect(() => u.restart()).toThrow(expect.objectContaining({ code: 'not_ready' }));
  });

  it('checks, reports the ready version, restarts only then; an unset switch means on', async () => {
    const { app } = fakeApp(undefined);
    let installs = 0;
    const notices: string[] = [];
    let changes = 0;
    const u = new UpdateActions({
      app,
      backend: {
        check: async () => ({ version: '0.2.0' }),
        download: async () => undefined,
        install: () => void installs++,
      },
      notice: (m) => notices.push(m),
      changed: () => void changes++,
    });
    expect(u.view()).toEqual({ state: 'idle' });
    expect(() => u.restart()).toThrow(expect.objectContaining({ code: 'not_ready' }));
    expect(await u.check()).toEqual({ state: 'ready', version: '0.2.0' });
    expect(u.readyVersion()).toBe('0.2.0');
    expect(notices).toEqual(['RunCode Tray 0.2.0 is ready: restart to update.']);
    expect(changes).toBeGreaterThanOrEqual(3); // checking, downloading, ready
    u.restart();
    expect(installs).toBe(1);
    u.dispose();
  });

  it('views: failure message, last check time', () => {
    expect(updateView({ kind: 'failed', message: 'Could not check for updates: HTTP 503', at: 1 })).toEqual({
      state: 'failed',
      message: 'Could not check for updates: HTTP 503',
    });
    expect(updateView({ kind: 'idle', checkedAt: Date.UTC(2026, 0, 1) })).toEqual({
      state: 'idle',
      checkedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(updateView({ kind: 'disabled' })).toEqual({ state: 'disabled' });
  });
});
