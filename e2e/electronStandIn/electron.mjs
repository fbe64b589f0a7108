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
import { EventEmitter } from 'node:events';
import childProcess from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Shared with the test: the browser to open windows in, and everything recorded. */
const host = (globalThis.__electronStandIn ??= {});
/** This run's recordings (each launch of main loads this module afresh: register.mjs). */
export const record = {
  windows: [],
  trays: [],
  notifications: [],
  opened: [],
  clipboard: [],
  loginItems: [],
  logs: [],
  /** URLs main was asked about in will-navigate, whatever it answered. */
  navigations: [],
  exitCode: undefined,
};
host.record = record;

function notModelled(what) {
  return new Error(`electron stand-in: ${what} is not modelled (e2e/electronStandIn/electron.mjs)`);
}

// ---------------------------------------------------------------------------------------------
// app

class App extends EventEmitter {
  isPackaged = false;
  dock = undefined; // Linux: no Dock
  commandLine = { appendSwitch() {}, hasSwitch: () => false };
  #ready = false;
  #readyResolve;
  #readyPromise = new Promise((r) => (this.#readyResolve = r));
  #quitting = false;
  #lockFile;
  #watcher;
  loginItemSettings = { openAtLogin: false };

  constructor() {
    super();
    // Ready on the next turn, as Electron is once its own start-up is done.
    setImmediate(() => {
      this.#ready = true;
      this.emit('ready');
      this.#readyResolve();
    });
  }
  whenReady() {
    return this.#readyPromise;
  }
  isReady() {
    return this.#ready;
  }
  getName() {
    return 'RunCode Tray';
  }
  getVersion() {
    return process.env.STAND_IN_APP_VERSION ?? '0.0.0-standin';
  }
  getPath(name) {
    const base = process.env.STAND_IN_USER_DATA;
    if (!base) throw notModelled(`app.getPath(${name}) without STAND_IN_USER_DATA`);
    const dir = name === 'userData' ? base : path.join(base, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }
  getLocale() {
    return 'en-US';
  }
  setAppUserModelId() {}
  setLoginItemSettings(s) {
    record.loginItems.push(s);
    this.loginItemSettings = { ...this.loginItemSettings, ...s };
  }
  getLoginItemSettings() {
    return this.loginItemSettings;
  }

  /** A pid file in userData; a live other pid means "another instance has it". */
  requestSingleInstanceLock() {
    const dir = this.getPath('userData');
    const lock = path.join(dir, 'SingletonLock');
    try {
      const pid = Number(fs.readFileSync(lock, 'utf8'));
      if (pid && pid !== process.pid && alive(pid)) {
        fs.writeFileSync(path.join(dir, `second-instance-${process.pid}`), JSON.stringify(process.argv));
        return false;
      }
    } catch {
      // no lock yet
    }
    fs.writeFileSync(lock, String(process.pid));
    this.#lockFile = lock;
    this.#watcher = fs.watch(dir, (_e, file) => {
      if (!file?.startsWith('second-instance-')) return;
      const f = path.join(dir, file);
      let argv;
      try {
        argv = JSON.parse(fs.readFileSync(f, 'utf8'));
        fs.rmSync(f);
      } catch {
        return; // already handled, or half-written: the rename event comes again
      }
      this.emit('second-instance', { preventDefault() {} }, argv, dir);
    });
    return true;
  }
  releaseSingleInstanceLock() {
    this.#watcher?.close();
    if (this.#lockFile) fs.rmSync(this.#lockFile, { force: true });
  }

  /** before-quit (preventable), then will-quit, quit; windows and trays go. */
  quit() {
    if (this.#quitting) return;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.#quitting = true;
    this.emit('will-quit', { preventDefault() {} });
    void this.#finish(0);
  }
  exit(code = 0) {
    this.#quitting = true;
    void this.#finish(code);
  }
  async #finish(code) {
    record.exitCode = code;
    this.releaseSingleInstanceLock();
    for (const w of record.windows) if (!w.isDestroyed()) w.destroy();
    for (const t of record.trays) if (!t.isDestroyed()) t.destroy();
    this.emit('quit', { preventDefault() {} }, code);
    host.onExit?.(code);
  }
  focus() {}
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const app = new App();

// ---------------------------------------------------------------------------------------------
// BrowserWindow and webContents

let nextId = 1;
let sendQueue = Promise.resolve();

class WebContents extends EventEmitter {
  id = nextId++;
  #win;
  #destroyed = false;
  windowOpenHandler = undefined;
  mainFrame = { processId: 1, routingId: 1, url: '', parent: null };

  constructor(win) {
    super();
    this.#win = win;
  }
  setWindowOpenHandler(h) {
    this.windowOpenHandler = h;
  }
  isDestroyed() {
    return this.#destroyed;
  }
  destroy() {
    this.#destroyed = true;
  }
  getURL() {
    return this.#win.page?.url() ?? '';
  }
  /** Delivered in order, after the page has loaded, as Electron queues them. */
  send(channel, ...args) {
    const win = this.#win;
    sendQueue = sendQueue
      .then(() => win.loaded)
      .then(() =>
        win.page && !win.page.isClosed()
          ? win.page.evaluate(([c, a]) => globalThis.__standInDeliver?.(c, a), [channel, args])
          : undefined,
      )
      .catch(() => undefined);
  }
  openDevTools() {}
  focus() {}
}

export class BrowserWindow extends EventEmitter {
  options;
  webContents;
  page = undefined;
  loaded;
  #loadedResolve;
  visible = false;
  focused = false;
  position = undefined;
  #destroyed = false;
  history = [];

  constructor(options = {}) {
    super();
    this.options = options;
    this.webContents = new WebContents(this);
    this.visible = options.show !== false;
    this.loaded = new Promise((r) => (this.#loadedResolve = r));
    record.windows.push(this);
    app.emit('web-contents-created', { preventDefault() {} }, this.webContents);
  }

  static getAllWindows() {
    return record.windows.filter((w) => !w.isDestroyed());
  }

  async #open() {
    if (this.page) return this.page;
    const browser = host.browser;
    if (!browser) throw notModelled('a BrowserWindow without a browser (host.browser)');
    const context = await browser.newContext({
      viewport: { width: this.options.width ?? 800, height: this.options.height ?? 600 },
      colorScheme: host.colorScheme ?? 'light',
    });
    const page = await context.newPage();
    this.page = page;
    page.on('console', (m) => {
      if (m.type() === 'error') record.logs.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => record.logs.push(`pageerror: ${e.message}`));
    await page.exposeBinding('__standInIpcInvoke', (source, channel, args) =>
      ipcMain.invokeFrom(this, source.frame, channel, args),
    );
    await page.exposeBinding('__standInWindowOpen', (_source, url) => {
      const h = this.webContents.windowOpenHandler;
      const decision = h
        ? h({ url, frameName: '', features: '', disposition: 'new-window' })
        : { action: 'allow' };
      return decision?.action ?? 'deny';
    });
    // will-navigate for http(s) navigations of the main frame; a prevented one never happens.
    await page.route(/^https?:/, async (route) => {
      const req = route.request();
      if (req.isNavigationRequest() && req.frame() === page.mainFrame()) {
        let prevented = false;
        record.navigations.push(req.url());
        this.webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, req.url());
        // A 204 answer to a navigation leaves the page where it is, as a prevented will-navigate does.
        if (prevented) return route.fulfill({ status: 204 });
      }
      return route.continue();
    });
    const preload = this.options.webPreferences?.preload;
    if (preload) await page.addInitScript({ content: preloadScript(fs.readFileSync(preload, 'utf8')) });
    return page;
  }

  async loadFile(file) {
    const page = await this.#open();
    const url = new URL(`file://${path.resolve(file)}`).href;
    await page.goto(url);
    this.#afterLoad(url);
  }
  async loadURL(url) {
    const page = await this.#open();
    await page.goto(url);
    this.#afterLoad(url);
  }
  #afterLoad(url) {
    this.history.push(url);
    this.webContents.mainFrame.url = this.page.url();
    this.webContents.emit('did-finish-load');
    this.#loadedResolve();
  }

  isDestroyed() {
    return this.#destroyed;
  }
  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.webContents.destroy();
    this.emit('closed');
    void this.page
      ?.context()
      .close()
      .catch(() => undefined);
  }
  close() {
    this.destroy();
  }
  isVisible() {
    return this.visible;
  }
  isFocused() {
    return this.focused;
  }
  show() {
    this.visible = true;
    this.emit('show');
  }
  hide() {
    this.visible = false;
    this.focused = false;
    this.emit('hide');
  }
  focus() {
    if (!this.visible) return;
    this.focused = true;
    this.emit('focus');
  }
  /** What the OS does when the user clicks elsewhere. */
  simulateBlur() {
    this.focused = false;
    this.emit('blur');
  }
  setPosition(x, y) {
    this.position = { x, y };
  }
  getPosition() {
    return this.position ? [this.position.x, this.position.y] : [0, 0];
  }
  getBounds() {
    const { x, y } = this.position ?? { x: 0, y: 0 };
    return { x, y, width: this.options.width ?? 800, height: this.options.height ?? 600 };
  }
  setBounds(b) {
    this.position = { x: b.x, y: b.y };
  }
  setSize() {}
  setVisibleOnAllWorkspaces() {}
  setAlwaysOnTop() {}
  setBackgroundColor(c) {
    this.options.backgroundColor = c;
  }
}

/** The preload in the page: `require('electron')` answers contextBridge and ipcRenderer only. */
function preloadScript(source) {
  return `(() => {
  if (window !== window.top) return; // nodeIntegrationInSubFrames: false, no preload in iframes
  const listeners = new Map();
  const ipcRenderer = {
    invoke: (channel, ...args) => window.__standInIpcInvoke(channel, args),
    on(channel, l) { (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)).add(l); return ipcRenderer; },
    removeListener(channel, l) { listeners.get(channel)?.delete(l); return ipcRenderer; },
    off(channel, l) { return ipcRenderer.removeListener(channel, l); },
  };
  Object.defineProperty(window, '__standInDeliver', {
    value: (channel, args) => { for (const l of listeners.get(channel) ?? []) l({ sender: null }, ...args); },
  });
  const contextBridge = {
    exposeInMainWorld(key, api) { Object.defineProperty(window, key, { value: api, enumerable: true }); },
  };
  const nativeOpen = window.open;
  window.open = (url) => (window.__standInWindowOpen(String(url)).then((a) => a === 'allow' && nativeOpen(url)), null);
  const module = { exports: {} };
  const require = (m) => {
    if (m === 'electron') return { contextBridge, ipcRenderer };
    throw new Error('the sandboxed preload cannot require ' + m);
  };
  (function (require, module, exports) {
${source}
  })(require, module, module.exports);
})();`;
}

// ---------------------------------------------------------------------------------------------
// ipcMain

class IpcMain extends EventEmitter {
  handlers = new Map();
  handle(channel, fn) {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, fn);
  }
  removeHandler(channel) {
    this.handlers.delete(channel);
  }
  /** An invoke from `frame` of `win`'s page, with the event Electron would build. */
  async invokeFrom(win, frame, channel, args) {
    const fn = this.handlers.get(channel);
    if (!fn) throw new Error(`No handler registered for '${channel}'`);
    const page = win.page;
    const main = page.mainFrame();
    const frames = page.frames();
    const senderFrame = {
      url: frame.url(),
      parent: frame === main ? null : { url: frame.parentFrame()?.url() ?? '' },
      processId: 1,
      routingId: frame === main ? 1 : 100 + frames.indexOf(frame),
      top: { url: main.url() },
    };
    win.webContents.mainFrame = { processId: 1, routingId: 1, url: main.url(), parent: null };
    const event = { sender: win.webContents, senderFrame, processId: 1, frameId: senderFrame.routingId };
    return fn(event, ...args);
  }
}
export const ipcMain = new IpcMain();

// ---------------------------------------------------------------------------------------------
// Tray, Menu, nativeImage

export class Tray extends EventEmitter {
  image;
  tooltip = '';
  contextMenu = undefined;
  poppedUp = [];
  #destroyed = false;
  constructor(image) {
    super();
    this.image = image;
    record.trays.push(this);
  }
  setImage(image) {
    this.image = image;
  }
  setToolTip(t) {
    this.tooltip = t;
  }
  setTitle() {}
  setContextMenu(menu) {
    this.contextMenu = menu;
  }
  popUpContextMenu(menu) {
    this.poppedUp.push(menu ?? this.contextMenu);
  }
  getBounds() {
    return { ...(host.trayBounds ?? { x: 1840, y: 0, width: 24, height: 24 }) };
  }
  isDestroyed() {
    return this.#destroyed;
  }
  destroy() {
    this.#destroyed = true;
  }
  /** A left click on the icon, as the OS reports it. */
  click() {
    this.emit('click', { preventDefault() {} }, this.getBounds(), { x: 1850, y: 10 });
  }
  rightClick() {
    this.emit('right-click', { preventDefault() {} }, this.getBounds());
  }
}

export class Menu {
  items;
  constructor(items = []) {
    this.items = items;
  }
  static buildFromTemplate(template) {
    const build = (items) =>
      items.map((i) => ({
        ...i,
        ...(i.submenu ? { submenu: new Menu(build(i.submenu.items ?? i.submenu)) } : {}),
      }));
    return new Menu(build(template));
  }
  static setApplicationMenu() {}
  popup() {}
  /** The item at a path of labels, e.g. ['api (running)', 'Connect']. */
  find(labels) {
    let items = this.items;
    let item;
    for (const label of labels) {
      item = items.find((i) => i.label === label || (typeof label === 'object' && label.test(i.label ?? '')));
      if (!item) throw new Error(`no menu item ${label} among ${items.map((i) => i.label).join(' | ')}`);
      items = item.submenu?.items ?? [];
    }
    return item;
  }
}

export const nativeImage = {
  createFromPath(p) {
    let template = false;
    return {
      path: p,
      isEmpty: () => !fs.existsSync(p),
      setTemplateImage: (b) => void (template = b),
      isTemplateImage: () => template,
      resize() {
        return this;
      },
      toPNG: () => fs.readFileSync(p),
    };
  },
  createEmpty: () => ({
    path: '',
    isEmpty: () => true,
    setTemplateImage() {},
    resize() {
      return this;
    },
  }),
};

// ---------------------------------------------------------------------------------------------
// The rest of main's Electron surface

export const clipboard = {
  writeText: (t) => void record.clipboard.push(t),
  readText: () => record.clipboard.at(-1) ?? '',
};

export class Notification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(options) {
    super();
    this.options = options;
  }
  show() {
    record.notifications.push(this);
  }
  close() {}
}

export const shell = {
  async openExternal(url) {
    record.opened.push(url);
  },
  async openPath(p) {
    record.opened.push(p);
    return '';
  },
  showItemInFolder: (p) => void record.opened.push(p),
};

class PowerMonitor extends EventEmitter {
  getSystemIdleTime() {
    return 0;
  }
}
export const powerMonitor = new PowerMonitor();

class NativeTheme extends EventEmitter {
  shouldUseDarkColors = false;
  themeSource = 'system';
}
export const nativeTheme = new NativeTheme();

const display = {
  id: 1,
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 28, width: 1920, height: 1052 },
  scaleFactor: 1,
};
class Screen extends EventEmitter {
  getPrimaryDisplay = () => host.display ?? display;
  getAllDisplays = () => [host.display ?? display];
  getDisplayMatching = () => host.display ?? display;
  getDisplayNearestPoint = () => host.display ?? display;
  getCursorScreenPoint = () => ({ x: 1850, y: 10 });
}
export const screen = new Screen();

/** Reversible, and tagged so a test can tell it from plaintext; `basic_text` is switchable. */
export const safeStorage = {
  backend: () => host.safeStorageBackend ?? 'gnome_libsecret',
  isEncryptionAvailable: () => true,
  isAsyncEncryptionAvailable: async () => true,
  getSelectedStorageBackend() {
    return this.backend();
  },
  encryptString: (s) => Buffer.concat([Buffer.from('standin:'), Buffer.from(s).map((b) => b ^ 0x5a)]),
  decryptString(buf) {
    if (!buf.subarray(0, 8).equals(Buffer.from('standin:'))) throw new Error('Error while decrypting');
    return Buffer.from(buf.subarray(8))
      .map((b) => b ^ 0x5a)
      .toString();
  },
  async encryptStringAsync(s) {
    return this.encryptString(s);
  },
  async decryptStringAsync(buf) {
    return { result: this.decryptString(buf), shouldReEncrypt: false };
  },
};

const recorded = () => {
  const handlers = {};
  return handlers;
};
class Session extends EventEmitter {
  handlers = recorded();
  webRequest = {
    onHeadersReceived: (fn) => void (this.handlers.headersReceived = fn),
    onBeforeRequest: (fn) => void (this.handlers.beforeRequest = fn),
  };
  setPermissionRequestHandler(fn) {
    this.handlers.permissionRequest = fn;
  }
  setPermissionCheckHandler(fn) {
    this.handlers.permissionCheck = fn;
  }
  setDevicePermissionHandler(fn) {
    this.handlers.devicePermission = fn;
  }
  setDisplayMediaRequestHandler(fn) {
    this.handlers.displayMedia = fn;
  }
  /** Asks the permission handler the way Electron does; resolves with its answer. */
  requestPermission(webContents, permission, details) {
    return new Promise((resolve) =>
      this.handlers.permissionRequest(webContents, permission, resolve, details),
    );
  }
}
export const session = { defaultSession: new Session() };

/** A Node child with `process.parentPort`, as an Electron utility process has. */
export const utilityProcess = {
  fork(modulePath, args = [], options = {}) {
    const shim =
      'data:text/javascript,' +
      encodeURIComponent(
        'process.parentPort={on:(e,l)=>process.on(e,(m)=>l({data:m})),postMessage:(m)=>process.send?.(m)};',
      );
    const child = childProcess.fork(modulePath, args, {
      stdio:
        options.stdio === 'pipe'
          ? ['ignore', 'pipe', 'pipe', 'ipc']
          : ['ignore', 'inherit', 'inherit', 'ipc'],
      env: options.env ?? process.env,
      execArgv: ['--import', shim],
    });
    const up = new EventEmitter();
    up.stdout = child.stdout;
    up.stderr = child.stderr;
    Object.defineProperty(up, 'pid', { get: () => child.pid });
    up.postMessage = (m) => child.connected && child.send(m);
    up.kill = () => child.kill();
    child.on('exit', (code) => up.emit('exit', code ?? 1));
    child.on('message', (m) => up.emit('message', m));
    (host.children ??= []).push(child);
    return up;
  },
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
export const dialog = {
  async showSaveDialog(_w, o) {
    const p = host.saveDialogPath?.(o) ?? undefined;
    return p ? { canceled: false, filePath: p } : { canceled: true };
  },
  async showMessageBox() {
    return { response: 0 };
  },
  showErrorBox: (t, c) => void record.logs.push(`errorBox: ${t}: ${c}`),
};

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
