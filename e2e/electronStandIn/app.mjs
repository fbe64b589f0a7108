// The stand-in's `app`: ready on the next turn, paths under STAND_IN_USER_DATA, a pid-file
// single-instance lock, and quit/exit that close every window and tray and tell the test.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { host, notModelled, record } from './record.mjs';

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
