// The tray icon: its image and tooltip follow the controller's state, a left click toggles the
// popover, a right click opens the menu. Everything it shows comes from trayState.ts.
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { Menu, Tray, nativeImage } from 'electron';
import type { TrayMenuActions, TrayMenuModel, TrayState } from './trayState.js';
import { trayIconFile, trayMenuTemplate, trayTooltip } from './trayState.js';

export interface AppTrayOptions {
  iconDir: string;
  state(): TrayState;
  model(): TrayMenuModel;
  actions: TrayMenuActions;
  /** Left click: toggle the popover next to these bounds. */
  onClick(bounds: Electron.Rectangle): void;
  platform?: NodeJS.Platform;
}

export class AppTray {
  private readonly tray: Tray;
  private readonly platform: NodeJS.Platform;
  private shown: { state: TrayState; tooltip: string; menuKey: string } | undefined;
  private menu: Menu | undefined;

  constructor(private readonly o: AppTrayOptions) {
    this.platform = o.platform ?? process.platform;
    this.tray = new Tray(this.image(o.state()));
    this.tray.on('click', (_e, bounds) => o.onClick(bounds));
    this.tray.on('right-click', () => {
      this.rebuildMenu();
      if (this.menu) this.tray.popUpContextMenu(this.menu);
    });
    this.update();
  }

  private image(state: TrayState): Electron.NativeImage {
    const { file, template } = trayIconFile(state, this.platform);
    // createFromPath picks up the @2x sibling by itself on HiDPI displays.
    const img = nativeImage.createFromPath(path.join(this.o.iconDir, file));
    if (template) img.setTemplateImage(true);
    return img;
  }

  private rebuildMenu(): void {
    const template = trayMenuTemplate(this.o.state(), this.o.model(), this.o.actions);
    this.menu = Menu.buildFromTemplate(template as MenuItemConstructorOptions[]);
    // Linux (AppIndicator/StatusNotifierItem) delivers no click events at all: the only way to
    // reach anything is the menu, so it is set on the icon (which also makes it the left click).
    // Elsewhere setting it would turn every left click into the menu, so it pops up on right click.
    if (this.platform === 'linux') this.tray.setContextMenu(this.menu);
  }

  /**
   * Brings icon, tooltip and (on Linux) the menu in line with the controller. Called on every app
   * event, forwards' traffic counters included, so it touches only what changed.
   */
  update(): void {
    const state = this.o.state();
    const model = this.o.model();
    const tooltip = trayTooltip(state, model);
    const menuKey = JSON.stringify([state, model]);
    if (this.shown?.state !== state) this.tray.setImage(this.image(state));
    if (this.shown?.tooltip !== tooltip) this.tray.setToolTip(tooltip);
    if (this.platform === 'linux' && this.shown?.menuKey !== menuKey) this.rebuildMenu();
    this.shown = { state, tooltip, menuKey };
  }

  bounds(): Electron.Rectangle {
    return this.tray.getBounds();
  }

  destroy(): void {
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }
}
