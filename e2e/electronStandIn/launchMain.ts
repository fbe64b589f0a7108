// Runs the built, unmodified main process (out/main/index.js) in this Node process over the
// electron stand-in (electron.mjs), its window a page of `browser`. Each launch loads the bundle
// afresh (register.mjs) with its own environment; `quit()` goes through app.quit() as the tray
// menu's Quit does, and restores the environment.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from '@playwright/test';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const MAIN_BUNDLE = path.join(ROOT, 'out/main/index.js');

// The stand-in's own shapes, as far as the specs use them (electron.mjs is plain JS).
export interface StandInWindow {
  page: Page | undefined;
  loaded: Promise<void>;
  visible: boolean;
  focused: boolean;
  position: { x: number; y: number } | undefined;
  options: { width?: number; height?: number; webPreferences?: Record<string, unknown> };
  webContents: { id: number };
  simulateBlur(): void;
  isDestroyed(): boolean;
}
export interface StandInMenuItem {
  label?: string;
  enabled?: boolean;
  click?: () => void;
  submenu?: { items: StandInMenuItem[] };
}
export interface StandInMenu {
  items: StandInMenuItem[];
  find(labels: (string | RegExp)[]): StandInMenuItem;
}
export interface StandInTray {
  image: { path: string };
  tooltip: string;
  contextMenu: StandInMenu | undefined;
  poppedUp: StandInMenu[];
  click(): void;
  rightClick(): void;
  getBounds(): { x: number; y: number; width: number; height: number };
}
interface Recorded {
  windows: StandInWindow[];
  trays: StandInTray[];
  notifications: { options: { title: string; body: string } }[];
  opened: string[];
  clipboard: string[];
  logs: string[];
  navigations: string[];
  exitCode: number | undefined;
}
interface StandInHost {
  browser?: Browser;
  colorScheme?: 'light' | 'dark';
  safeStorageBackend?: string;
  record?: Recorded;
  current?: {
    app: { quit(): void; emit(event: string, ...args: unknown[]): boolean };
    powerMonitor: { emit(event: string): boolean };
    ipcMain: { handlers: Map<string, unknown> };
    session: {
      defaultSession: {
        requestPermission(wc: unknown, permission: string, details: object): Promise<boolean>;
      };
    };
  };
  onExit?: (code: number) => void;
  children?: { kill(): boolean; exitCode: number | null }[];
}
const host = ((globalThis as { __electronStandIn?: StandInHost }).__electronStandIn ??= {});

export interface MainHandle {
  readonly record: Recorded;
  window(): StandInWindow;
  page(): Page;
  tray(): StandInTray;
  /** The tray's menu as a user sees it on Linux (set on the icon). */
  menu(): StandInMenu;
  emitPower(event: 'resume' | 'suspend' | 'unlock-screen'): void;
  requestPermission(
    permission: string,
    details: { requestingUrl: string; isMainFrame: boolean },
  ): Promise<boolean>;
  /** app.quit(), then waits until main has disposed everything and exited; restores the env. */
  quit(): Promise<number>;
}

let run = 0;

export async function launchMain(o: {
  browser: Browser;
  env: Record<string, string>;
  colorScheme?: 'light' | 'dark';
}): Promise<MainHandle> {
  // Once per process: from here on `electron` is the stand-in.
  await import('./registerHooks.mjs');
  const saved = new Map(Object.keys(o.env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, o.env);
  host.browser = o.browser;
  host.colorScheme = o.colorScheme ?? 'light';
  let exited!: (code: number) => void;
  const exit = new Promise<number>((r) => (exited = r));
  host.onExit = (code) => exited(code);
  run += 1;
  await import(`${pathToFileURL(MAIN_BUNDLE).href}?standInRun=${run}`);
  const record = host.record!;
  const current = host.current!;
  const restore = () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  // Main creates the tray and the window, then loads the page: wait for both.
  const deadline = Date.now() + 60_000;
  while (!(record.windows[0] && record.trays[0])) {
    if (record.exitCode !== undefined)
      throw new Error(`main exited with ${record.exitCode}: ${record.logs.join('\n')}`);
    if (Date.now() > deadline) throw new Error('main did not create its window and tray within 60 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  await record.windows[0].loaded;
  return {
    record,
    window: () => record.windows[0]!,
    page: () => record.windows[0]!.page!,
    tray: () => record.trays[0]!,
    menu: () => {
      const m = record.trays[0]!.contextMenu;
      if (!m) throw new Error('the tray has no menu set');
      return m;
    },
    emitPower: (event) => void current.powerMonitor.emit(event),
    requestPermission: (permission, details) =>
      current.session.defaultSession.requestPermission(record.windows[0]!.webContents, permission, details),
    quit: async () => {
      current.app.quit();
      const code = await exit;
      restore();
      return code;
    },
  };
}
