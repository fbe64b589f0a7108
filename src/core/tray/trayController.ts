// The tray's brain, electron-free: holds what the popover shows (session, workspaces, forwards),
// runs the live feed, the refresher and the forwards, and turns contract calls into core calls.
// Electron's main and the Playwright harness both drive it through `router`.
import type {
  EventName,
  Events,
  ForwardView,
  SessionView,
  Settings,
  WorkspaceView,
} from '../../shared/contract.js';
import type { Me, Workspace } from '../../shared/protocol.js';
import { followAutoApprove } from '../auth/autoApprove.js';
import type { RuncodeApp } from '../app/runcodeApp.js';
import type { LaunchDeps } from '../editors/launchEditor.js';
import { RuncodeError, toErrorInfo } from '../errors.js';
import { ForwardManager } from '../forwards/forwardManager.js';
import { WorkspaceFeed } from '../live/workspaceFeed.js';
import type { ConnectionRecord } from '../state/connectionStore.js';
import { createRouter } from '../ipc/router.js';
import type { RouterTarget } from '../ipc/routerTarget.js';
import type { RouterPort } from '../../shared/contract.js';
import type { DiagnosticsShell } from '../desktop/diagnosticsActions.js';
import { DiagnosticsActions } from '../desktop/diagnosticsActions.js';
import { LinkHealth } from '../desktop/linkHealth.js';
import { UpdateActions } from '../desktop/updateActions.js';
import type { UiStateStore } from '../desktop/uiState.js';
import { MemoryUiState } from '../desktop/uiState.js';
import type { UpdateBackend } from '../updates/updater.js';
import { DesktopActions } from './desktopActions.js';
import { createTrayBus, notice } from './trayBus.js';
import { forwardViews, workspaceViews } from './views.js';
import type { TrayMenuModel, TrayState } from './trayModel.js';

export interface Sandbox {
  endpoint: string;
  caFile: string;
  stop(): Promise<void>;
}

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

export class TrayController implements RouterTarget {
  readonly router: RouterPort;
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
  private readonly pending = new Map<string, 'start' | 'stop'>();
  private readonly forwards: ForwardManager;
  private readonly health: LinkHealth;
  private healthQueued = false;
  private feed: WorkspaceFeed | undefined;
  private stopFeed: (() => void) | undefined;
  private workspaces: readonly Workspace[] = [];
  private connections: ConnectionRecord[] = [];
  private extraPorts: Record<string, number[]> = {};
  private user: Me | undefined;
  private signedIn = false;
  private signInUrl: string | undefined;
  private signInAbort: AbortController | undefined;
  private sandbox: Sandbox | undefined;
  private refreshFailing = new Set<string>();
  private stopWatching: (() => void) | undefined;
  private reloadQueued = false;

  constructor(private readonly o: TrayControllerOptions) {
    this.app = o.app;
    this.health = new LinkHealth(this.app.clock, () => this.healthChanged(), o.linkDownGraceMs);
    this.forwards = new ForwardManager({
      getTarget: (ws) => this.app.connections.target(ws),
      clock: this.app.clock,
      links: this.health,
    });
    this.forwards.subscribe(() => this.emitForwards());
    this.actions = new DesktopActions({
      app: this.app,
      openUrl: (url) => o.openUrl(url),
      platform: o.platform ?? process.platform,
      ...(o.env ? { env: o.env } : {}),
      ...(o.spawn ? { spawn: o.spawn } : {}),
      onSettingsChanged: (s) => {
        o.onSettingsChanged?.(s);
        this.updates.settingsChanged();
      },
      known: (name) => ({
        workspace: this.workspaces.find((w) => w.name === name),
        connection: this.connections.find((c) => c.name === name),
      }),
      connect: (name) => this.connect(name).then(() => undefined),
    });
    this.diagnostics = new DiagnosticsActions(this.app, o.diagnostics);
    this.ui = o.ui ?? new MemoryUiState();
    this.updates = new UpdateActions({
      app: this.app,
      ...(o.updates ? { backend: o.updates } : {}),
      notice: (m) => this.notice('info', m),
      changed: () => this.bus.emit('session:changed', this.sessionView()),
    });
    this.router = createRouter(this);
  }

  /** Loads the session; when signed in, starts the feed, the refresher and saved forwards. */
  async start(): Promise<void> {
    this.signedIn = await this.app.session.signedIn();
    this.extraPorts = (await this.app.settings.get()).extraPorts;
    if (this.signedIn) await this.startSignedIn();
    this.updates.start();
    this.bus.emit('session:changed', this.sessionView());
  }

  subscribe(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void {
    return this.bus.subscribe(listener);
  }

  /** After sleep, unlock or a network change: renew what is due, reconnect forwards and the stream. */
  resume(): void {
    void this.app.refresher?.checkNow();
    this.forwards.reconnectNow();
    this.feed?.reconnectNow();
  }

  trayState(): TrayState {
    if (!this.signedIn) return 'signed-out';
    const failed = this.forwards.list().some((f) => f.state === 'failed');
    const linkDown = this.health.downTooLong().length > 0;
    if (failed || linkDown || this.refreshFailing.size > 0 || this.feed?.mode === 'offline')
      return 'attention';
    return this.workspaces.some((w) => w.state === 'running') ? 'running' : 'idle';
  }

  menuModel(): TrayMenuModel {
    const ready = this.updates.readyVersion();
    return {
      ...(ready ? { updateReady: ready } : {}),
      workspaces: this.workspaceList().map((w) => ({ name: w.name, state: w.state, connected: w.connected })),
    };
  }

  // --- calls (the router validates arguments before these run) ---

  sessionView(): SessionView {
    return {
      signedIn: this.signedIn,
      ...(this.endpoint ? { endpoint: this.endpoint } : {}),
      ...(this.user ? { user: this.user } : {}),
      secretStore: this.app.session.secretStore,
      liveMode: this.feed?.mode ?? 'offline',
      ...(this.signInUrl ? { signInUrl: this.signInUrl } : {}),
      sandbox: this.sandbox !== undefined,
      ...this.liveTrouble(),
      ...(this.updates.view() ? { update: this.updates.view() } : {}),
    };
  }

  async signIn(endpoint: string, caFile?: string, openUrl = this.o.openUrl): Promise<SessionView> {
    this.signInAbort?.abort();
    const abort = new AbortController();
    this.signInAbort = abort;
    try {
      this.user = await this.app.session.signIn({
        endpoint,
        ...(caFile ? { caFile } : {}),
        signal: abort.signal,
        openUrl,
        onUrl: (url) => {
          this.signInUrl = url;
          this.bus.emit('session:changed', this.sessionView());
        },
      });
      this.signedIn = true;
      this.signInUrl = undefined;
      await this.startSignedIn();
      return this.sessionView();
    } finally {
      if (this.signInAbort === abort) this.signInAbort = undefined;
      this.signInUrl = undefined;
      this.bus.emit('session:changed', this.sessionView());
    }
  }

  cancelSignIn(): void {
    this.signInAbort?.abort();
  }

  async trySandbox(): Promise<SessionView> {
    if (!this.o.startSandbox)
      throw new RuncodeError('sandbox_failed', 'the local demo server is not part of this build');
    try {
      this.sandbox ??= await this.o.startSandbox();
    } catch (e) {
      throw new RuncodeError('sandbox_failed', `the local demo server did not start: ${toErrorInfo(e).message}`);
    }
    return this.signIn(this.sandbox.endpoint, this.sandbox.caFile, followAutoApprove(this.sandbox.caFile));
  }

  async signOut(): Promise<SessionView> {
    this.stopSignedIn();
    // Close every forward but keep the manager: the next sign-in uses it again.
    await Promise.all(
      this.forwards.list().map((f) => this.forwards.remove(f.workspace, f.remotePort).catch(() => undefined)),
    );
    await this.app.signOut();
    await this.app.settings.set({ forwards: [] });
    this.signedIn = false;
    this.user = undefined;
    this.workspaces = [];
    this.connections = [];
    this.emitAll();
    return this.sessionView();
  }

  async listWorkspaces(): Promise<WorkspaceView[]> {
    if (!this.feed || this.feed.mode !== 'stream') this.workspaces = await this.app.listWorkspaces();
    this.connections = await this.app.connections.list();
    return this.workspaceList();
  }

  async startWorkspace(name: string): Promise<WorkspaceView> {
    return this.transition(name, 'start', (n) => this.app.start(n));
  }

  async stopWorkspace(name: string): Promise<WorkspaceView> {
    return this.transition(name, 'stop', (n) => this.app.stop(n));
  }

  async connect(name: string): Promise<{ alias: string; command: string }> {
    // The workspace the tray holds (no second list request); a cached state other than running
    // may be stale, so then the name (connect looks it up afresh).
    const held = this.workspaces.find((w) => w.name === name);
    const { alias, record } = await this.app.connect(held?.state === 'running' ? held : name, {});
    // The record connect wrote (no re-read of connections.json).
    this.connections = [...this.connections.filter((c) => c.name !== name), record];
    this.bus.emit('workspaces:changed', this.workspaceList());
    return { alias, command: `ssh ${alias}` };
  }

  forwardList(): ForwardView[] {
    return forwardViews(this.workspaces, this.extraPorts, this.forwards.list());
  }

  async toggleForward(workspace: string, remotePort: number, enabled: boolean): Promise<ForwardView> {
    if (enabled) {
      if (!this.connections.some((c) => c.name === workspace)) await this.connect(workspace);
      await this.forwards.add({ workspace, remotePort });
    } else {
      await this.forwards.remove(workspace, remotePort);
    }
    await this.app.settings.set({ forwards: this.forwards.wanted() });
    return this.forwardView(workspace, remotePort);
  }

  async addPort(workspace: string, remotePort: number): Promise<ForwardView> {
    if (!this.workspaces.some((w) => w.name === workspace)) {
      throw new RuncodeError('not_found', `no workspace named "${workspace}"`);
    }
    const ports = new Set(this.extraPorts[workspace] ?? []);
    ports.add(remotePort);
    this.extraPorts = { ...this.extraPorts, [workspace]: [...ports].sort((a, b) => a - b) };
    await this.app.settings.set({ extraPorts: this.extraPorts });
    return this.toggleForward(workspace, remotePort, true);
  }

  hideWindow(): void {
    this.o.hideWindow?.();
  }

  async dispose(): Promise<void> {
    this.signInAbort?.abort();
    this.stopSignedIn();
    await this.forwards.dispose().catch(() => undefined);
    await this.sandbox?.stop().catch(() => undefined);
    this.health.dispose();
    this.updates.dispose();
    this.bus.clear();
  }

  // --- internals ---

  private endpoint: string | undefined;

  private async startSignedIn(): Promise<void> {
    this.stopSignedIn();
    const ep = await this.app.session.endpoint();
    this.endpoint = ep?.endpoint;
    const api = await this.app.session.api();
    this.user ??= await api.me().catch(() => undefined);
    const feed = new WorkspaceFeed({
      listWorkspaces: () => api.listWorkspaces(),
      stream: {
        endpoint: ep!.endpoint,
        ...(ep?.caFile ? { caFile: ep.caFile } : {}),
        token: () => this.app.session.token(),
      },
      clock: this.app.clock,
      // The forwards' SSH keepalive rides the stream's heartbeat: no timer of its own while idle.
      onHeartbeat: () => this.forwards.keepaliveTick(),
    });
    this.feed = feed;
    let lastMode = feed.mode;
    let lastError = feed.error?.message;
    let toldSignIn = false;
    let streamWasDown = false;
    this.stopFeed = feed.subscribe((snap) => {
      this.workspaces = snap.workspaces;
      this.settlePending();
      this.bus.emit('workspaces:changed', this.workspaceList());
      this.emitForwards();
      if (snap.mode !== lastMode || snap.error?.message !== lastError) {
        lastMode = snap.mode;
        lastError = snap.error?.message;
        this.bus.emit('session:changed', this.sessionView());
      }
      // A revoked or expired token: say so once, instead of a silent "offline".
      if (snap.error?.code === 'unauthorized' && !toldSignIn) {
        toldSignIn = true;
        this.notice(
          'warning',
          'Your RunCode sign-in has expired or was revoked: sign in again.',
          'sign_in_needed',
        );
      } else if (snap.mode === 'stream') toldSignIn = false;
      // The stream is back, so is the server: renewals that failed need not wait out their backoff.
      if (snap.mode === 'stream' && streamWasDown) void this.app.refresher?.retryFailedNow();
      streamWasDown = snap.mode !== 'stream';
    });
    await feed.start();
    this.workspaces = feed.workspaces;
    await this.reloadConnections();
    await this.app.startRefresher((r) => {
      if (r.ok) this.refreshFailing.delete(r.name);
      else {
        this.refreshFailing.add(r.name);
        this.notice('warning', `Could not renew the pass for ${r.name}: ${r.error?.message}`, r.error?.code);
      }
      // Results arrive one per workspace at the end of a batch: read the connections once for all.
      if (!this.reloadQueued) {
        this.reloadQueued = true;
        setImmediate(() => {
          this.reloadQueued = false;
          void this.reloadConnections();
        });
      }
    });
    // A workspace connected elsewhere (the CLI, an agent through `runcode mcp`) shows as connected.
    this.stopWatching = this.app.watchConnections(() => void this.reloadConnections());
    const saved = (await this.app.settings.get()).forwards;
    const results = await this.forwards.restore(saved);
    for (const r of results)
      if (!r.ok)
        this.notice(
          'warning',
          `Port ${r.wanted.remotePort} of ${r.wanted.workspace}: ${r.error.message}`,
          r.error.code,
        );
    this.emitAll();
  }

  private stopSignedIn(): void {
    this.stopFeed?.();
    this.stopFeed = undefined;
    this.feed?.dispose();
    this.feed = undefined;
    this.stopWatching?.();
    this.stopWatching = undefined;
  }

  private async transition(
    name: string,
    kind: 'start' | 'stop',
    call: (n: string) => Promise<Workspace>,
  ): Promise<WorkspaceView> {
    this.pending.set(name, kind);
    this.bus.emit('workspaces:changed', this.workspaceList());
    try {
      const ws = await call(name);
      this.workspaces = this.workspaces.map((w) =>
        w.id === ws.id && Date.parse(ws.updatedAt) >= Date.parse(w.updatedAt) ? ws : w,
      );
      this.settlePending();
      this.bus.emit('workspaces:changed', this.workspaceList());
      return this.workspaceList().find((w) => w.name === name)!;
    } catch (e) {
      this.pending.delete(name);
      this.bus.emit('workspaces:changed', this.workspaceList());
      throw e;
    }
  }

  /** A start is settled once the workspace runs (or fails); a stop once it is stopped. */
  private settlePending(): void {
    for (const [name, kind] of this.pending) {
      const w = this.workspaces.find((x) => x.name === name);
      if (!w) continue;
      if (kind === 'start' && (w.state === 'running' || w.state === 'failed')) {
        this.pending.delete(name);
        if (w.state === 'running') this.notice('info', `${name} is ready`);
        else this.notice('error', `${name} failed to start${w.stateReason ? `: ${w.stateReason}` : ''}`);
      }
      if (kind === 'stop' && (w.state === 'stopped' || w.state === 'failed')) this.pending.delete(name);
    }
  }

  private async reloadConnections(): Promise<void> {
    this.connections = await this.app.connections.list().catch(() => this.connections);
    this.bus.emit('workspaces:changed', this.workspaceList());
  }

  /** The stream's last error and next try, while it is not live. */
  private liveTrouble(): { liveError?: string; liveRetryAt?: string } {
    const f = this.feed;
    if (!f || f.mode === 'stream') return {};
    const at = f.nextRetryAt;
    return {
      ...(f.error ? { liveError: f.error.message } : {}),
      ...(at !== undefined ? { liveRetryAt: new Date(at).toISOString() } : {}),
    };
  }

  private workspaceList(): WorkspaceView[] {
    return workspaceViews(this.workspaces, this.connections, this.pending, (name) => this.health.view(name));
  }

  /** Link health changes come in bursts (a page opening many connections): one list per burst. */
  private healthChanged(): void {
    if (this.healthQueued) return;
    this.healthQueued = true;
    setImmediate(() => {
      this.healthQueued = false;
      this.bus.emit('workspaces:changed', this.workspaceList());
    });
  }

  private forwardView(workspace: string, remotePort: number): ForwardView {
    const v = this.forwardList().find((f) => f.workspace === workspace && f.remotePort === remotePort);
    if (!v) throw new RuncodeError('not_found', `no forward for ${workspace}:${remotePort}`);
    return v;
  }

  private notice(level: 'info' | 'warning' | 'error', message: string, code?: string): void {
    notice(this.bus, level, message, code);
  }

  private emitForwards(): void {
    this.bus.emit('forwards:changed', this.forwardList());
  }

  private emitAll(): void {
    this.bus.emit('session:changed', this.sessionView());
    this.bus.emit('workspaces:changed', this.workspaceList());
    this.emitForwards();
  }

}
