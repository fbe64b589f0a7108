// The stand-in's Tray (clicked by the test), Menu (searchable by label path) and nativeImage.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { host, record } from './record.mjs';

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
