// The state files are checked with zod/mini (../zodMini.ts): the same rules and the same English
// messages as classic zod, in a process that never loads classic zod (this file imports none).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionStore } from './connectionStore.js';
import { checkSettingsPatch, SettingsFile } from './settingsFile.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-settings-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('settings and connections files', () => {
  it('a bad settings patch is refused naming the field, in zod’s English', () => {
    const refused = (patch: unknown) => {
      try {
        checkSettingsPatch(patch);
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(refused({ notifications: 3 })).toBe(
      'invalid setting notifications: Invalid input: expected boolean, received number',
    );
    expect(refused({ forwards: [{ workspace: 'api', remotePort: 0 }] })).toBe(
      'invalid setting forwards.0.remotePort: Too small: expected number to be >=1',
    );
    expect(refused({ forwards: [{ workspace: 'api', remotePort: 1.5 }] })).toMatch(
      /^invalid setting forwards\.0\.remotePort: /,
    );
    expect(refused({ extraPorts: { 'Not A Name': [80] } })).toMatch(/^invalid setting extraPorts/);
    expect(refused({ bogus: 1 })).toBe('invalid setting bogus: Unrecognized key: "bogus"');
    expect(refused({ notifications: false, extraPorts: { api: [80, 8080] } })).toBe('accepted');
  });

  it('keeps what it was given and drops cleared fields', async () => {
    const s = new SettingsFile(dir);
    await s.set({ sshConfigOptIn: true, forwards: [{ workspace: 'api', remotePort: 3000 }] });
    const got = await s.get();
    expect(got.sshConfigOptIn).toBe(true);
    expect(got.forwards).toEqual([{ workspace: 'api', remotePort: 3000 }]);
    await s.set({ forwards: undefined });
    expect((await s.get()).forwards).toEqual([]);
  });

  it('a damaged connections.json is state_corrupt with the field and its message', async () => {
    fs.writeFileSync(
      path.join(dir, 'connections.json'),
      JSON.stringify({ version: 1, connections: [{ name: 7 }] }),
    );
    await expect(new ConnectionStore(dir).all()).rejects.toMatchObject({
      code: 'state_corrupt',
      message: expect.stringContaining('(connections.0.name: workspace name)'),
    });
    fs.writeFileSync(path.join(dir, 'connections.json'), JSON.stringify({ version: 2, connections: [] }));
    await expect(new ConnectionStore(dir).all()).rejects.toMatchObject({
      message: expect.stringContaining('(version: Invalid input: expected 1)'),
    });
  });
});
