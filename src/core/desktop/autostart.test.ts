import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  autostartEntry,
  autostartPath,
  linuxAutostartEnabled,
  quoteExecArg,
  setLinuxAutostart,
} from './autostart.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-autostart-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('Linux autostart entry', () => {
  it('lives in $XDG_CONFIG_HOME/autostart, else ~/.config/autostart', () => {
    expect(autostartPath({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/me')).toBe(
      '/x/cfg/autostart/runcode-tray.desktop',
    );
    expect(autostartPath({}, '/home/me')).toBe('/home/me/.config/autostart/runcode-tray.desktop');
    // A relative XDG_CONFIG_HOME is invalid per the spec: ignored.
    expect(autostartPath({ XDG_CONFIG_HOME: 'cfg' }, '/home/me')).toBe(
      '/home/me/.config/autostart/runcode-tray.desktop',
    );
  });

  it('quotes Exec arguments as the Desktop Entry spec says', () => {
    expect(quoteExecArg('/opt/RunCode Tray/runcode-tray')).toBe('"/opt/RunCode Tray/runcode-tray"');
    expect(quoteExecArg('/a/$HOME/`x`/"q"/100%')).toBe('"/a/\\\\$HOME/\\\\`x\\\\`/\\\\"q\\\\"/100%%"');
    expect(() => quoteExecArg('/a\nX-Evil=1')).toThrow(/control character/);
  });

  it('writes the entry, reports it, and removes it', async () => {
    const file = path.join(dir, 'config', 'autostart', 'runcode-tray.desktop');
    const o = { execPath: '/opt/RunCode Tray/runcode-tray', file };
    expect(await linuxAutostartEnabled(o)).toBe(false);
    expect(await setLinuxAutostart(true, o)).toBe(true);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toBe(autostartEntry(o.execPath));
    expect(text).toContain('Exec="/opt/RunCode Tray/runcode-tray"\n');
    expect(text.startsWith('[Desktop Entry]\nType=Application\n')).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o644);
    expect(await linuxAutostartEnabled(o)).toBe(true);
    // Another executable (the app moved): not "enabled" for this one.
    expect(await linuxAutostartEnabled({ ...o, execPath: '/elsewhere/runcode-tray' })).toBe(false);
    expect(await setLinuxAutostart(false, o)).toBe(false);
    expect(fs.existsSync(file)).toBe(false);
    expect(await setLinuxAutostart(false, o)).toBe(false); // already gone: fine
  });

  it("leaves a user's own entry of that name alone", async () => {
    const file = path.join(dir, 'runcode-tray.desktop');
    const mine = '[Desktop Entry]\nType=Application\nName=My own\nExec=/usr/bin/true\n';
    fs.writeFileSync(file, mine);
    expect(await setLinuxAutostart(false, { execPath: '/x', file })).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe(mine);
  });
});
