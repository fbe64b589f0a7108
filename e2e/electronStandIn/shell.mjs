// The stand-in's ways out to the user's desktop, each recorded for the test instead: shell
// (opened URLs and paths), clipboard, Notification and dialog (answered by host.saveDialogPath).
import { EventEmitter } from 'node:events';
import { host, record } from './record.mjs';

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
