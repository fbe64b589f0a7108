import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsFile } from '../core/state/settingsFile.js';
import type { StoredSettings } from '../core/state/settingsFile.js';
import { ObservedSettings } from './observedSettings.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-settings-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ObservedSettings', () => {
  it('writes the settings.json the CLI reads and reports each change', async () => {
    const seen: [StoredSettings, Partial<StoredSettings>][] = [];
    const s = new ObservedSettings(new SettingsFile(dir), (n, p) => seen.push([n, p]));
    expect((await s.get()).launchAtLogin).toBe(false);
    await s.set({ launchAtLogin: true });
    expect(seen).toHaveLength(1);
    expect(seen[0]![0].launchAtLogin).toBe(true);
    expect(seen[0]![1]).toEqual({ launchAtLogin: true });
    // The CLI's own reader sees it.
    expect((await new SettingsFile(dir).get()).launchAtLogin).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8'))).toMatchObject({
      launchAtLogin: true,
    });
  });

  it('a refused patch changes nothing and reports nothing', async () => {
    const seen: unknown[] = [];
    const s = new ObservedSettings(new SettingsFile(dir), (n) => seen.push(n));
    await expect(s.set({ launchAtLogin: 'yes' } as unknown as Partial<StoredSettings>)).rejects.toMatchObject(
      {
        code: 'invalid_argument',
      },
    );
    expect(seen).toEqual([]);
  });

  it('a failing side effect does not fail the save', async () => {
    const s = new ObservedSettings(new SettingsFile(dir), () => {
      throw new Error('login items unavailable');
    });
    await expect(s.set({ notifications: false })).resolves.toMatchObject({ notifications: false });
  });
});
