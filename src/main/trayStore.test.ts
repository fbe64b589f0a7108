// electron-store in plain Node (absolute cwd): the schema, and a damaged file reset with a notice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TRAY_STORE_NAME, TrayStore } from './trayStore.js';

// Outside Electron the `electron` package only names its binary, which is not installed here (and
// must not be downloaded): this makes it name one without looking. electron-store then runs on its
// base `conf` in plain Node, which needs only the absolute cwd it is given.
vi.hoisted(() => {
  process.env.ELECTRON_OVERRIDE_DIST_PATH = '/nonexistent-electron-binary';
});

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-traystore-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = () => path.join(dir, `${TRAY_STORE_NAME}.json`);

describe('TrayStore', () => {
  it('starts with the defaults and keeps what is set across opens', () => {
    const { store, notice } = TrayStore.open(dir);
    expect(notice).toBeUndefined();
    expect(store.get()).toEqual({
      windowPinned: false,
      lastTab: 'workspaces',
      expandedRows: [],
      lastEditor: {},
      dismissedTips: [],
    });
    store.set({
      windowPinned: true,
      lastTab: 'doctor',
      expandedRows: ['api'],
      dismissedTips: ['ssh-config'],
    });
    store.rememberEditor('api', 'cursor');
    store.rememberEditor('web', 'zed');
    const again = TrayStore.open(dir).store.get();
    expect(again).toEqual({
      windowPinned: true,
      lastTab: 'doctor',
      expandedRows: ['api'],
      lastEditor: { api: 'cursor', web: 'zed' },
      dismissedTips: ['ssh-config'],
    });
  });

  it.each([
    ['a tab that does not exist', { lastTab: 'logs' }],
    ['a non-boolean pin', { windowPinned: 'yes' }],
    ['a row name that is no workspace name', { expandedRows: ['api\nHost *'] }],
    ['an unknown editor', { lastEditor: { api: 'notepad' } }],
    ['a bad workspace name as a key', { lastEditor: { 'A B': 'zed' } }],
  ])('refuses %s and changes nothing', (_what, patch) => {
    const { store } = TrayStore.open(dir);
    store.set({ lastTab: 'settings' });
    const before = fs.readFileSync(file(), 'utf8');
    expect(() => store.set(patch as never)).toThrow(/schema/i);
    expect(fs.readFileSync(file(), 'utf8')).toBe(before);
    expect(store.get().lastTab).toBe('settings');
  });

  it.each([
    ['not JSON', '{"windowPinned": tru'],
    ['refused by the schema', JSON.stringify({ windowPinned: 'very', lastTab: 'nowhere' })],
  ])('a file %s is moved aside and the store starts afresh, with a notice', (_what, text) => {
    fs.writeFileSync(file(), text);
    const { store, notice } = TrayStore.open(dir);
    expect(notice).toMatch(
      /^The tray's saved window state was damaged and has been reset \(.+\); the old file is .+\.damaged-\d+\.$/,
    );
    expect(store.get().lastTab).toBe('workspaces');
    const aside = fs.readdirSync(dir).filter((f) => f.includes('.damaged-'));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe(text);
    // And it works as a store again.
    store.set({ windowPinned: true });
    expect(TrayStore.open(dir)).toEqual({ store: expect.anything() });
  });
});
