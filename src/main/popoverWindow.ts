// The popover: a frameless window created hidden at startup (so a tray click shows it at once),
// loading only the bundled renderer, in a sandbox with context isolation and nothing the page can
// use to leave it: navigation, new windows, webviews and permission requests are all refused.
import type { Rectangle, Session, WebContents } from 'electron';
import { BrowserWindow, nativeTheme, screen } from 'electron';
import type { AppPaths } from './appPaths.js';
import { BlurGuard } from './blurGuard.js';
import { contentSecurityPolicy, withCsp } from './contentSecurityPolicy.js';
import { allowPermission } from './permissionPolicy.js';
import { getWindowPosition } from './windowPosition.js';

export const POPOVER_SIZE = { width: 360, height: 520 };
/** How long after losing focus the window hides (see BlurGuard for why a delay at all). */
const BLUR_HIDE_MS = 100;

/** Refuses everything a page could use to go elsewhere or gain powers; for every webContents. */
export function lockDownWebContents(contents: WebContents, log: (line: string) => void): void {
  contents.on('will-navigate', (e, url) => {
    e.preventDefault();
    log(`blocked navigation to ${url.slice(0, 200)}`);
  });
  contents.on('will-redirect', (e, url) => {
    e.preventDefault();
    log(`blocked redirect to ${url.slice(0, 200)}`);
  });
  contents.on('will-attach-webview', (e) => {
    e.preventDefault();
    log('blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`blocked window.open(${url.slice(0, 200)})`);
    return { action: 'deny' };
  });
}

/**
 * No camera, microphone, notifications-from-the-page, geolocation, HID, USB, serial, clipboard
 * reads, ...: nothing but our own page writing to the clipboard (permissionPolicy.ts).
 */
export function lockDownSession(ses: Session, paths: AppPaths, popoverId: () => number | undefined): void {
  const policy = () => ({ expectedId: popoverId(), allowedOrigins: paths.allowedOrigins });
  ses.setPermissionRequestHandler((wc, permission, callback, details) =>
    callback(
      allowPermission(
        permission,
        { webContentsId: wc.id, requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame },
        policy(),
      ),
    ),
  );
  ses.setPermissionCheckHandler((wc, permission, _origin, details) =>
    allowPermission(
      permission,
      { webContentsId: wc?.id, requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame },
      policy(),
    ),
  );
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_req, callback) => callback({}));
  const csp = contentSecurityPolicy(paths.devServerUrl);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders, csp) });
  });
}

export class PopoverWindow {
  readonly win: BrowserWindow;
  private readonly guard = new BlurGuard();
  private blurTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly paths: AppPaths,
    private readonly log: (line: string) => void,
  ) {
    this.win = new BrowserWindow({
      ...POPOVER_SIZE,
      show: false,
      frame: false,
      resizable: false,
      movable: false,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      skipTaskbar: true,
      alwaysOnTop: true,
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#1f1f1f' : '#ffffff',
      webPreferences: {
        preload: paths.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        experimentalFeatures: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        safeDialogs: true,
        // A middle click on a link would otherwise open it in a new window (Electronegativity AUXCLICK).
        disableBlinkFeatures: 'Auxclick',
        devTools: paths.devServerUrl !== undefined,
      },
    });
    // Over full-screen apps too, like the menu it stands in for.
    if (process.platform === 'darwin')
      this.win.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
    lockDownWebContents(this.win.webContents, log);
    this.win.on('blur', () => {
      clearTimeout(this.blurTimer);
      this.blurTimer = setTimeout(() => {
        if (!this.win.isDestroyed() && this.win.isVisible() && !this.win.isFocused()) {
          this.guard.hiddenByBlur(Date.now());
          this.win.hide();
        }
      }, BLUR_HIDE_MS);
    });
    this.win.on('focus', () => clearTimeout(this.blurTimer));
  }

  /** Loads the bundled page (or the dev server, in development only). */
  async load(): Promise<void> {
    if (this.paths.devServerUrl) await this.win.loadURL(this.paths.devServerUrl);
    else await this.win.loadFile(this.paths.rendererIndex);
  }

  get webContentsId(): number | undefined {
    return this.win.isDestroyed() ? undefined : this.win.webContents.id;
  }

  isVisible(): boolean {
    return !this.win.isDestroyed() && this.win.isVisible();
  }

  /** A tray click: show next to the icon, or hide. */
  toggle(trayBounds: Rectangle): void {
    if (this.isVisible()) {
      this.hide();
      return;
    }
    if (!this.guard.shouldOpenOnClick(Date.now())) return;
    this.show(trayBounds);
  }

  show(trayBounds?: Rectangle): void {
    if (this.win.isDestroyed()) return;
    const cursor = screen.getCursorScreenPoint();
    const bounds = trayBounds ?? { x: 0, y: 0, width: 0, height: 0 };
    const display =
      bounds.width > 0 ? screen.getDisplayMatching(bounds) : screen.getDisplayNearestPoint(cursor);
    const pos = getWindowPosition({
      trayBounds: bounds,
      windowSize: POPOVER_SIZE,
      workArea: display.workArea,
      displayBounds: display.bounds,
      platform: process.platform,
      cursor,
    });
    this.win.setPosition(pos.x, pos.y, false);
    this.win.show();
    this.win.focus();
  }

  hide(): void {
    clearTimeout(this.blurTimer);
    if (!this.win.isDestroyed()) this.win.hide();
  }

  send(channel: string, payload: unknown): void {
    if (!this.win.isDestroyed() && !this.win.webContents.isDestroyed())
      this.win.webContents.send(channel, payload);
  }

  destroy(): void {
    clearTimeout(this.blurTimer);
    if (!this.win.isDestroyed()) this.win.destroy();
  }
}
