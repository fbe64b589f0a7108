// A test-only stand-in for the `electron` module, just large enough for our main process, so the
// built out/main/index.js and out/preload/index.cjs run unmodified in Node (no Electron binary can
// be downloaded on our machines). A BrowserWindow is a Playwright page in Debian's Chromium; the
// preload runs in that page before any of its scripts; ipcRenderer reaches ipcMain through a
// Playwright binding that reports the real sending frame.
//
// What it does NOT model (say so in any test that leans near it):
// - context isolation: the preload runs in the page's own world, so the page could reach the
//   bridge's binding directly (the sender checks in main still apply to every call);
// - the CSP that main adds through session.webRequest (recorded, not applied; the page's own
//   <meta> CSP applies); Electron's file:// privileges (Chromium runs with
//   --allow-file-access-from-files instead);
// - native menus, window stacking and real focus: `blur` is emitted by the test (win.simulateBlur);
// - will-navigate only for http(s) navigations of the main frame (through page.route);
// - utilityProcess is a child_process.fork with `process.parentPort` shimmed;
// - a second instance is a second Node process: the single-instance lock is a pid file in
//   userData, and the first instance learns of the second through a file it watches.
//
// Each part lives in the file named after what it exports; this is the module register.mjs and
// electron.cjs resolve `electron` to.
import { EventEmitter } from 'node:events';
import { app } from './app.mjs';
import { BrowserWindow } from './browserWindow.mjs';
import { ipcMain } from './ipcMain.mjs';
import { host, notModelled, record } from './record.mjs';
import { safeStorage } from './safeStorage.mjs';
import { nativeTheme, powerMonitor, screen } from './screen.mjs';
import { session } from './session.mjs';
import { clipboard, dialog, Notification, shell } from './shell.mjs';
import { Menu, nativeImage, Tray } from './tray.mjs';
import { utilityProcess } from './utilityProcess.mjs';

export {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  nativeTheme,
  Notification,
  powerMonitor,
  record,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
  utilityProcess,
};

// Preload-side names, for completeness (the preload gets its own through the page script).
export const contextBridge = {
  exposeInMainWorld() {
    throw notModelled('contextBridge in main');
  },
};
export const ipcRenderer = {
  invoke() {
    throw notModelled('ipcRenderer in main');
  },
};

export const autoUpdater = new EventEmitter();

const electron = {
  app,
  BrowserWindow,
  ipcMain,
  Tray,
  Menu,
  nativeImage,
  clipboard,
  Notification,
  shell,
  powerMonitor,
  nativeTheme,
  screen,
  safeStorage,
  session,
  utilityProcess,
  contextBridge,
  ipcRenderer,
  autoUpdater,
  dialog,
};
host.current = electron;
export default electron;
