// The tray's composition root in core, electron-free: builds its parts on one event bus (session,
// workspaces, forwards, live updates, desktop actions) and the IPC router from them, and answers
// main's tray icon. Electron's main and the Playwright harness both drive it through `router`.
import type { EventName, Events, RouterPort, Settings } from '../../shared/contract.js';
import type { RuncodeApp } from '../app/runcodeApp.js';
import type { LaunchDeps } from '../editors/launchEditor.js';
import type { DiagnosticsShell } from '../desktop/diagnosticsActions.js';
import { DiagnosticsActions } from '../desktop/diagnosticsActions.js';
import { LinkHealth } from '../desktop/linkHealth.js';
import { UpdateActions } from '../desktop/updateActions.js';
import type { UiStateStore } from '../desktop/uiState.js';
import { MemoryUiState } from '../desktop/uiState.js';
import { createRouter } from '../ipc/router.js';
import type { UpdateBackend } from '../updates/updater.js';
import { DesktopActions } from './desktopActions.js';
import { LiveUpdates } from './liveUpdates.js';
import { createTrayBus, notice } from './trayBus.js';
import { TrayForwards } from './trayForwards.js';
import type { TrayMenuModel, TrayState } from './trayModel.js';
import { trayStateOf } from './trayModel.js';
import type { Sandbox } from './traySession.js';
import { TraySession } from './traySession.js';
import { WorkspaceModel } from './workspaceModel.js';

export interface TrayControllerOptions {
  app: RuncodeApp;
  /** Hands an allowlisted URL to the OS (Electron: shell.openExternal; harness: a recorder). */
  openUrl(url: string): Promise<void>;
  /** Starts the local server (`runcode server --auto-approve`) for "Try the local demo server". */
  startSandbox?(): Promise<Sandbox>;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** For tests: replaces spawning a terminal. */
  spawn?: LaunchDeps['spawn'];
  /** Hides the popover window (main); absent in the browser harness. */
  hideWindow?(): void;
  /** Told after settings change (main applies launch-at-login). */
  onSettingsChanged?(s: Settings): void;
  /** How long a forwarded workspace's link may be down before the tray asks for attention. */
  linkDownGraceMs?: number;
  /** Save dialog, file manager and versions for "Show logs" and "Save diagnostics...". */
  diagnostics?: DiagnosticsShell;
  /** Where updates come from (main: electron-updater in a packaged app); none: no updates. */
  updates?: UpdateBackend;
  /** The tray's own UI state (main: electron-store); default in memory. */
  ui?: UiStateStore;
}

export class TrayController {
  readonly router: RouterPort;
  /** Sign-in (browser, local demo server), sign-out, and what runs while signed in. */
  readonly session: TraySession;
  /** The workspace list, connections, and pending starts and stops. */
  readonly workspaces: WorkspaceModel;
  /** Port forwards and the ports on offer. */
  readonly forwards: TrayForwards;
  /** Editors, browser, settings, the ssh config block, doctor: calls that hold no tray state. */
  readonly actions: DesktopActions;
  /** "Show logs" and "Save diagnostics...". */
  readonly diagnostics: DiagnosticsActions;
  /** Update checks, "Check now", "Restart to update". */
  readonly updates: UpdateActions;
  /** Last tab, expanded rows, last editor per workspace, ... */
  readonly ui: UiStateStore;
  private readonly app: RuncodeApp;
  private readonly bus = createTrayBus();
  private readonly live: LiveUpdates;
  private readonly health: LinkHealth;

  constructor(o: TrayControllerOptions) {
    const app = (this.app = o.app);
    const bus = this.bus;
    this.health = new LinkHealth(app.clock, () => this.workspaces.linkChanged(), o.linkDownGraceMs);
    this.workspaces = new WorkspaceModel({
      app,
      bus,
      link: (name) => this.health.view(name),
      streaming: () => this.live.mode === 'stream',
    });
    this.forwards = new TrayForwards({ app, bus, workspaces: this.workspaces, links: this.health });
    this.live = new LiveUpdates({
      app,
      bus,
      workspaces: this.workspaces,
      forwards: this.forwards,
      modeChanged: () => this.session.changed(),
    });
    this.actions = new DesktopActions({
      app,
      openUrl: (url) => o.openUrl(url),
      platform: o.platform ?? process.platform,
      ...(o.env ? { env: o.env } : {}),
      ...(o.spawn ? { spawn: o.spawn } : {}),
      onSettingsChanged: (s) => {
        o.onSettingsChanged?.(s);
        this.updates.settingsChanged();
      },
      known: (name) => ({
        workspace: this.workspaces.find(name),
        connection: this.workspaces.connection(name),
      }),
      connect: (name) => this.workspaces.connect(name).then(() => undefined),
    });
    this.diagnostics = new DiagnosticsActions(app, o.diagnostics);
    this.ui = o.ui ?? new MemoryUiState();
    this.updates = new UpdateActions({
      app,
      ...(o.updates ? { backend: o.updates } : {}),
      notice: (m) => notice(bus, 'info', m),
      changed: () => this.session.changed(),
    });
    const startSandbox = o.startSandbox?.bind(o);
    this.session = new TraySession({
      app,
      bus,
      openUrl: o.openUrl,
      ...(startSandbox ? { startSandbox } : {}),
      live: this.live,
      workspaces: this.workspaces,
      forwards: this.forwards,
      update: () => this.updates.view(),
    });
    this.router = createRouter({
      session: this.session,
      workspaces: this.workspaces,
      forwards: this.forwards,
      actions: this.actions,
      diagnostics: this.diagnostics,
      updates: this.updates,
      ui: this.ui,
      subscribe: (listener) => this.subscribe(listener),
      hideWindow: () => o.hideWindow?.(),
    });
  }

  /** Loads the session; when signed in, starts the feed, the refresher and saved forwards. */
  async start(): Promise<void> {
    await this.session.load();
    this.updates.start();
    this.session.changed();
  }

  subscribe(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void {
    return this.bus.subscribe(listener);
  }

  /** After sleep, unlock or a network change: renew what is due, reconnect forwards and the stream. */
  resume(): void {
    void this.app.refresher?.checkNow();
    this.forwards.reconnectNow();
    this.live.reconnectNow();
  }

  trayState(): TrayState {
    return trayStateOf({
      signedIn: this.session.isSignedIn,
      forwardFailed: this.forwards.anyFailed(),
      linkDown: this.health.downTooLong().length > 0,
      renewalFailing: this.live.renewalFailing,
      offline: this.live.mode === 'offline',
      running: this.workspaces.all.some((w) => w.state === 'running'),
    });
  }

  menuModel(): TrayMenuModel {
    const ready = this.updates.readyVersion();
    return {
      ...(ready ? { updateReady: ready } : {}),
      workspaces: this.workspaces
        .views()
        .map((w) => ({ name: w.name, state: w.state, connected: w.connected })),
    };
  }

  async dispose(): Promise<void> {
    this.session.cancelSignIn();
    this.live.stop();
    await this.forwards.dispose();
    await this.session.dispose();
    this.health.dispose();
    this.updates.dispose();
    this.bus.clear();
  }
}
