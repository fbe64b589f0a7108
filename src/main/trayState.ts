// What the tray shows, as pure functions: the icon file and tooltip for a state, and the context
// menu for the controller's menu model. tray.ts hands the results to Electron unchanged.
import { TRAY_STATES } from '../core/tray/trayModel.js';
import type { TrayMenuModel, TrayState } from '../core/tray/trayModel.js';

export { TRAY_STATES };
export type { TrayMenuModel, TrayState };

export interface TrayMenuActions {
  connect(name: string): void;
  open(name: string): void;
  start(name: string): void;
  stop(name: string): void;
  show(): void;
  quit(): void;
  /** "Show logs" and "Save diagnostics..." (shown when given). */
  showLogs?(): void;
  saveDiagnostics?(): void;
  /** "Restart to update", shown while `model.updateReady` says one is downloaded. */
  restartToUpdate?(): void;
}

/** The subset of Electron's MenuItemConstructorOptions used here (structurally compatible). */
export interface MenuItemSpec {
  label?: string;
  type?: 'normal' | 'separator' | 'submenu';
  enabled?: boolean;
  click?: () => void;
  submenu?: MenuItemSpec[];
}

/**
 * The icon file for a state, relative to the tray icon folder. macOS gets template images (black +
 * alpha; the menu bar tints them for light/dark and highlight, and `Template` in the name is what
 * tells Electron); elsewhere a coloured icon. Electron picks the `@2x` sibling on HiDPI itself.
 */
export function trayIconFile(
  state: TrayState,
  platform: NodeJS.Platform,
): { file: string; template: boolean } {
  const template = platform === 'darwin';
  return { file: `tray-${state}${template ? 'Template' : ''}.png`, template };
}

export function trayTooltip(state: TrayState, model: TrayMenuModel): string {
  const running = model.workspaces.filter((w) => w.state === 'running').length;
  switch (state) {
    case 'signed-out':
      return 'RunCode Tray: signed out';
    case 'attention':
      return 'RunCode Tray: needs attention';
    case 'running':
      return `RunCode Tray: ${running} workspace${running === 1 ? '' : 's'} running`;
    case 'idle':
      return 'RunCode Tray: no workspace running';
  }
}

/** Workspaces listed in the menu before "N more..." (a menu is not a list view). */
export const MENU_WORKSPACE_LIMIT = 15;

function workspaceItem(w: TrayMenuModel['workspaces'][number], a: TrayMenuActions): MenuItemSpec {
  const running = w.state === 'running';
  const label = `${w.name} (${w.state}${w.connected ? ', connected' : ''})`;
  return {
    label,
    type: 'submenu',
    submenu: [
      { label: w.connected ? 'Reconnect' : 'Connect', enabled: running, click: () => a.connect(w.name) },
      { label: 'Open', enabled: running, click: () => a.open(w.name) },
      { type: 'separator' },
      {
        label: 'Start',
        enabled: w.state === 'stopped' || w.state === 'failed',
        click: () => a.start(w.name),
      },
      { label: 'Stop', enabled: running || w.state === 'starting', click: () => a.stop(w.name) },
    ],
  };
}

export function trayMenuTemplate(state: TrayState, model: TrayMenuModel, a: TrayMenuActions): MenuItemSpec[] {
  const items: MenuItemSpec[] = [];
  if (state === 'signed-out') {
    items.push({ label: 'Signed out', enabled: false });
  } else if (model.workspaces.length === 0) {
    items.push({ label: 'No workspaces', enabled: false });
  } else {
    for (const w of model.workspaces.slice(0, MENU_WORKSPACE_LIMIT)) items.push(workspaceItem(w, a));
    const more = model.workspaces.length - MENU_WORKSPACE_LIMIT;
    if (more > 0) items.push({ label: `${more} more in RunCode Tray...`, click: () => a.show() });
  }
  const extra: MenuItemSpec[] = [];
  if (a.restartToUpdate && model.updateReady)
    extra.push({ label: `Restart to update (${model.updateReady})`, click: () => a.restartToUpdate?.() });
  if (a.showLogs) extra.push({ label: 'Show logs', click: () => a.showLogs?.() });
  if (a.saveDiagnostics) extra.push({ label: 'Save diagnostics...', click: () => a.saveDiagnostics?.() });
  if (extra.length) items.push({ type: 'separator' }, ...extra);
  items.push(
    { type: 'separator' },
    { label: 'Open RunCode Tray', click: () => a.show() },
    { type: 'separator' },
    { label: 'Quit RunCode Tray', click: () => a.quit() },
  );
  return items;
}
