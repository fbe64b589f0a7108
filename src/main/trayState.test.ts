import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MenuItemSpec, TrayMenuActions, TrayMenuModel } from './trayState.js';
import {
  MENU_WORKSPACE_LIMIT,
  TRAY_STATES,
  trayIconFile,
  trayMenuTemplate,
  trayTooltip,
} from './trayState.js';

const TRAY_DIR = path.resolve(import.meta.dirname, '../../assets/tray');

function recorder() {
  const calls: string[] = [];
  const a: TrayMenuActions = {
    connect: (n) => calls.push(`connect ${n}`),
    open: (n) => calls.push(`open ${n}`),
    start: (n) => calls.push(`start ${n}`),
    stop: (n) => calls.push(`stop ${n}`),
    show: () => calls.push('show'),
    quit: () => calls.push('quit'),
  };
  return { a, calls };
}

const model: TrayMenuModel = {
  workspaces: [
    { name: 'api', state: 'running', connected: true },
    { name: 'web', state: 'stopped', connected: false },
    { name: 'ml', state: 'starting', connected: false },
  ],
};

const find = (items: MenuItemSpec[] | undefined, label: string) => items?.find((i) => i.label === label);

describe('logs, diagnostics and update items', () => {
  it('come before Open and Quit, only when the shell offers them', () => {
    const { a, calls } = recorder();
    const plain = trayMenuTemplate('idle', model, a).map((i) => i.label);
    expect(plain).not.toContain('Show logs');
    expect(plain).not.toContain('Restart to update');
    const more: TrayMenuActions = {
      ...a,
      showLogs: () => calls.push('logs'),
      saveDiagnostics: () => calls.push('diagnostics'),
      restartToUpdate: () => calls.push('restart'),
    };
    expect(trayMenuTemplate('idle', model, more).map((i) => i.label)).not.toContain(
      'Restart to update (0.2.0)',
    );
    const items = trayMenuTemplate('idle', { ...model, updateReady: '0.2.0' }, more);
    const labels = items.map((i) => i.label ?? `-${i.type}`);
    expect(labels.slice(-8)).toEqual([
      '-separator',
      'Restart to update (0.2.0)',
      'Show logs',
      'Save diagnostics...',
      '-separator',
      'Open RunCode Tray',
      '-separator',
      'Quit RunCode Tray',
    ]);
    for (const l of ['Restart to update (0.2.0)', 'Show logs', 'Save diagnostics...'])
      find(items, l)!.click!();
    expect(calls).toEqual(['restart', 'logs', 'diagnostics']);
  });
});

describe('tray icon and tooltip', () => {
  it('maps each state to its own icon; template images on macOS only', () => {
    const mac = TRAY_STATES.map((s) => trayIconFile(s, 'darwin'));
    expect(new Set(mac.map((m) => m.file)).size).toBe(4);
    for (const m of mac) {
      expect(m.template).toBe(true);
      expect(m.file).toMatch(/Template\.png$/);
    }
    expect(trayIconFile('running', 'darwin').file).toBe('tray-runningTemplate.png');
    for (const p of ['win32', 'linux'] as const) {
      expect(trayIconFile('attention', p)).toEqual({ file: 'tray-attention.png', template: false });
    }
  });

  it('every icon file is an RGBA PNG of 16 px with a 32 px @2x sibling (scripts/makeIcons.mjs)', () => {
    const ihdr = (file: string) => {
      const b = fs.readFileSync(path.join(TRAY_DIR, file));
      expect(b.subarray(1, 4).toString('latin1'), file).toBe('PNG');
      return { w: b.readUInt32BE(16), h: b.readUInt32BE(20), colorType: b[25] };
    };
    for (const s of TRAY_STATES) {
      for (const p of ['darwin', 'linux'] as const) {
        const { file } = trayIconFile(s, p);
        expect(ihdr(file)).toEqual({ w: 16, h: 16, colorType: 6 });
        expect(ihdr(file.replace('.png', '@2x.png'))).toEqual({ w: 32, h: 32, colorType: 6 });
      }
    }
  });

  it('says what the state is', () => {
    expect(trayTooltip('signed-out', { workspaces: [] })).toBe('RunCode Tray: signed out');
    expect(trayTooltip('running', model)).toBe('RunCode Tray: 1 workspace running');
    expect(
      trayTooltip('running', {
        workspaces: [...model.workspaces, { name: 'b', state: 'running', connected: false }],
      }),
    ).toBe('RunCode Tray: 2 workspaces running');
    expect(trayTooltip('idle', model)).toMatch(/no workspace running/);
    expect(trayTooltip('attention', model)).toMatch(/needs attention/);
  });
});

describe('trayMenuTemplate', () => {
  it('lists each workspace with Connect / Open / Start / Stop enabled by its state', () => {
    const { a, calls } = recorder();
    const items = trayMenuTemplate('running', model, a);
    const api = find(items, 'api (running, connected)')!;
    expect(api.type).toBe('submenu');
    expect(find(api.submenu, 'Reconnect')?.enabled).toBe(true);
    expect(find(api.submenu, 'Open')?.enabled).toBe(true);
    expect(find(api.submenu, 'Start')?.enabled).toBe(false);
    expect(find(api.submenu, 'Stop')?.enabled).toBe(true);
    const web = find(items, 'web (stopped)')!;
    expect(find(web.submenu, 'Connect')?.enabled).toBe(false);
    expect(find(web.submenu, 'Open')?.enabled).toBe(false);
    expect(find(web.submenu, 'Start')?.enabled).toBe(true);
    expect(find(web.submenu, 'Stop')?.enabled).toBe(false);
    const ml = find(items, 'ml (starting)')!;
    expect(find(ml.submenu, 'Start')?.enabled).toBe(false);
    expect(find(ml.submenu, 'Stop')?.enabled).toBe(true);

    find(api.submenu, 'Reconnect')!.click!();
    find(api.submenu, 'Open')!.click!();
    find(web.submenu, 'Start')!.click!();
    find(api.submenu, 'Stop')!.click!();
    expect(calls).toEqual(['connect api', 'open api', 'start web', 'stop api']);
  });

  it('always ends with Open RunCode Tray and Quit', () => {
    for (const state of TRAY_STATES) {
      const { a, calls } = recorder();
      const items = trayMenuTemplate(state, state === 'signed-out' ? { workspaces: [] } : model, a);
      const labels = items.map((i) => i.label ?? `-${i.type}`);
      expect(labels.slice(-4)).toEqual([
        '-separator',
        'Open RunCode Tray',
        '-separator',
        'Quit RunCode Tray',
      ]);
      find(items, 'Open RunCode Tray')!.click!();
      find(items, 'Quit RunCode Tray')!.click!();
      expect(calls).toEqual(['show', 'quit']);
    }
  });

  it('signed out or empty: a disabled line instead of workspaces', () => {
    const { a } = recorder();
    expect(trayMenuTemplate('signed-out', model, a)[0]).toEqual({ label: 'Signed out', enabled: false });
    expect(trayMenuTemplate('idle', { workspaces: [] }, a)[0]).toEqual({
      label: 'No workspaces',
      enabled: false,
    });
  });

  it('caps a long list and points at the popover for the rest', () => {
    const { a, calls } = recorder();
    const many = Array.from({ length: 40 }, (_, i) => ({
      name: `w${i}`,
      state: 'stopped',
      connected: false,
    }));
    const items = trayMenuTemplate('idle', { workspaces: many }, a);
    expect(items.filter((i) => i.type === 'submenu')).toHaveLength(MENU_WORKSPACE_LIMIT);
    const more = find(items, `${40 - MENU_WORKSPACE_LIMIT} more in RunCode Tray...`)!;
    more.click!();
    expect(calls).toEqual(['show']);
  });
});
