// The stand-in's BrowserWindow and its webContents: a window is a Playwright page in Debian's
// Chromium, the preload runs in that page before any of its scripts (preloadScript.mjs), and its
// ipcRenderer reaches ipcMain through a binding that reports the real sending frame.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { app } from './app.mjs';
import { ipcMain } from './ipcMain.mjs';
import { preloadScript } from './preloadScript.mjs';
import { host, notModelled, record } from './record.mjs';

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
