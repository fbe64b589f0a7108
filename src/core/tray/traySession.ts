// The tray's session: signing in (through the browser, or to the local demo server that approves
// by itself), what runs while signed in, and signing out. Emits `session:changed` with its view;
// after a sign-in or sign-out it has every part tell its own view.
import type { SessionView, UpdateView } from '../../shared/contract.js';
import type { Me } from '../../shared/protocol.js';
import type { RuncodeApp } from '../app/runcodeApp.js';
import { followAutoApprove } from '../auth/autoApprove.js';
import { RuncodeError, toErrorInfo } from '../errors.js';
import type { LiveUpdates } from './liveUpdates.js';
import type { TrayBus } from './trayBus.js';
import type { TrayForwards } from './trayForwards.js';
import type { WorkspaceModel } from './workspaceModel.js';

export interface Sandbox {
  endpoint: string;
  caFile: string;
  stop(): Promise<void>;
}

export interface TraySessionOptions {
  app: RuncodeApp;
  bus: TrayBus;
  /** Opens the authorize page in the user's browser. */
  openUrl(url: string): Promise<void>;
  /** Starts the local server (`runcode server --auto-approve`) for "Try the local demo server". */
  startSandbox?(): Promise<Sandbox>;
  live: LiveUpdates;
  workspaces: WorkspaceModel;
  forwards: TrayForwards;
  /** The update's state, shown with the session. */
  update(): UpdateView | undefined;
}

export class TraySession {
  private signedIn = false;
  private user: Me | undefined;
  private endpoint: string | undefined;
  private signInUrl: string | undefined;
  private signInAbort: AbortController | undefined;
  private sandbox: Sandbox | undefined;

  constructor(private readonly o: TraySessionOptions) {}

  get isSignedIn(): boolean {
    return this.signedIn;
  }

  view(): SessionView {
    const update = this.o.update();
    return {
      signedIn: this.signedIn,
      ...(this.endpoint ? { endpoint: this.endpoint } : {}),
      ...(this.user ? { user: this.user } : {}),
      secretStore: this.o.app.session.secretStore,
      liveMode: this.o.live.mode ?? 'offline',
      ...(this.signInUrl ? { signInUrl: this.signInUrl } : {}),
      sandbox: this.sandbox !== undefined,
      ...this.o.live.trouble(),
      ...(update ? { update } : {}),
    };
  }

  changed(): void {
    this.o.bus.emit('session:changed', this.view());
  }

  /** At launch: the stored session, and when signed in everything that runs with it. */
  async load(): Promise<void> {
    this.signedIn = await this.o.app.session.signedIn();
    await this.o.forwards.load();
    if (this.signedIn) await this.startSignedIn();
  }

  /** Signs in through the browser: the OS opens the server's authorize page. */
  signIn(endpoint: string, caFile?: string): Promise<SessionView> {
    return this.authorize(endpoint, caFile, this.o.openUrl);
  }

  /**
   * Signs in to a server that approves by itself (`runcode server --auto-approve`: the local demo
   * server, tests): its authorize redirect is followed here, no browser opens.
   */
  signInAutoApproved(endpoint: string, caFile: string): Promise<SessionView> {
    return this.authorize(endpoint, caFile, followAutoApprove(caFile));
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
      throw new RuncodeError(
        'sandbox_failed',
        `the local demo server did not start: ${toErrorInfo(e).message}`,
      );
    }
    return this.signInAutoApproved(this.sandbox.endpoint, this.sandbox.caFile);
  }

  async signOut(): Promise<SessionView> {
    const { app, live, workspaces, forwards } = this.o;
    live.stop();
    await forwards.closeAll();
    await app.signOut();
    await forwards.forgetSaved();
    this.signedIn = false;
    this.user = undefined;
    workspaces.clear();
    this.changedAll();
    return this.view();
  }

  /** Quitting: the local demo server stops with the tray. */
  async dispose(): Promise<void> {
    await this.sandbox?.stop().catch(() => undefined);
  }

  private async authorize(
    endpoint: string,
    caFile: string | undefined,
    openUrl: (url: string) => Promise<void>,
  ): Promise<SessionView> {
    this.signInAbort?.abort();
    const abort = new AbortController();
    this.signInAbort = abort;
    try {
      this.user = await this.o.app.session.signIn({
        endpoint,
        ...(caFile ? { caFile } : {}),
        signal: abort.signal,
        openUrl,
        onUrl: (url) => {
          this.signInUrl = url;
          this.changed();
        },
      });
      this.signedIn = true;
      this.signInUrl = undefined;
      await this.startSignedIn();
      return this.view();
    } finally {
      if (this.signInAbort === abort) this.signInAbort = undefined;
      this.signInUrl = undefined;
      this.changed();
    }
  }

  /** The live feed, renewals and the saved forwards, for the account now signed in. */
  private async startSignedIn(): Promise<void> {
    this.o.live.stop();
    const ep = await this.o.app.session.endpoint();
    this.endpoint = ep?.endpoint;
    const api = await this.o.app.session.api();
    this.user ??= await api.me().catch(() => undefined);
    await this.o.live.start(ep!, api);
    await this.o.forwards.restore();
    this.changedAll();
  }

  /** After a sign-in or sign-out every part's view has changed. */
  private changedAll(): void {
    this.changed();
    this.o.workspaces.changed();
    this.o.forwards.changed();
  }
}
