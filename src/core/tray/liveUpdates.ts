// While signed in the tray keeps itself current: the live workspace feed (the event stream, a poll
// while it is down), pass renewals, and connections made or dropped by other processes (the CLI,
// an agent through `runcode mcp`). Each change goes to the part that shows it.
import type { SessionView } from '../../shared/contract.js';
import type { ApiClient } from '../api/apiClient.js';
import type { RuncodeApp } from '../app/runcodeApp.js';
import type { FeedMode } from '../live/workspaceFeed.js';
import { WorkspaceFeed } from '../live/workspaceFeed.js';
import type { TrayBus } from './trayBus.js';
import { notice } from './trayBus.js';
import type { TrayForwards } from './trayForwards.js';
import type { WorkspaceModel } from './workspaceModel.js';

export interface LiveUpdatesOptions {
  app: RuncodeApp;
  bus: TrayBus;
  workspaces: WorkspaceModel;
  forwards: TrayForwards;
  /** The feed's mode or error changed (the session's view shows them). */
  modeChanged(): void;
}

export class LiveUpdates {
  private feed: WorkspaceFeed | undefined;
  private stopFeed: (() => void) | undefined;
  private stopWatching: (() => void) | undefined;
  private readonly renewalsFailing = new Set<string>();
  private reloadQueued = false;

  constructor(private readonly o: LiveUpdatesOptions) {}

  /** How the list is kept current; none while signed out. */
  get mode(): FeedMode | undefined {
    return this.feed?.mode;
  }

  /** A pass that could not be renewed (the tray icon asks for attention until one succeeds). */
  get renewalFailing(): boolean {
    return this.renewalsFailing.size > 0;
  }

  /** The stream's last error and next try, while it is not live. */
  trouble(): Pick<SessionView, 'liveError' | 'liveRetryAt'> {
    const f = this.feed;
    if (!f || f.mode === 'stream') return {};
    const at = f.nextRetryAt;
    return {
      ...(f.error ? { liveError: f.error.message } : {}),
      ...(at !== undefined ? { liveRetryAt: new Date(at).toISOString() } : {}),
    };
  }

  async start(ep: { endpoint: string; caFile?: string }, api: ApiClient): Promise<void> {
    this.stop();
    const { app, workspaces, forwards } = this.o;
    const feed = new WorkspaceFeed({
      listWorkspaces: () => api.listWorkspaces(),
      stream: {
        endpoint: ep.endpoint,
        ...(ep.caFile ? { caFile: ep.caFile } : {}),
        token: () => app.session.token(),
      },
      clock: app.clock,
      // The forwards' SSH keepalive rides the stream's heartbeat: no timer of its own while idle.
      onHeartbeat: () => forwards.keepaliveTick(),
    });
    this.feed = feed;
    this.stopFeed = this.follow(feed);
    await feed.start();
    workspaces.seed(feed.workspaces);
    await workspaces.reloadConnections();
    await app.startRefresher((r) => {
      if (r.ok) this.renewalsFailing.delete(r.name);
      else {
        this.renewalsFailing.add(r.name);
        notice(
          this.o.bus,
          'warning',
          `Could not renew the pass for ${r.name}: ${r.error?.message}`,
          r.error?.code,
        );
      }
      // Results arrive one per workspace at the end of a batch: read the connections once for all.
      if (!this.reloadQueued) {
        this.reloadQueued = true;
        setImmediate(() => {
          this.reloadQueued = false;
          void workspaces.reloadConnections();
        });
      }
    });
    // A workspace connected elsewhere (the CLI, an agent through `runcode mcp`) shows as connected.
    this.stopWatching = app.watchConnections(() => void workspaces.reloadConnections());
  }

  /** After sleep or a network change: the stream reconnects now instead of after its backoff. */
  reconnectNow(): void {
    this.feed?.reconnectNow();
  }

  stop(): void {
    this.stopFeed?.();
    this.stopFeed = undefined;
    this.feed?.dispose();
    this.feed = undefined;
    this.stopWatching?.();
    this.stopWatching = undefined;
  }

  /** Each snapshot to the workspaces and forwards; a mode change, a lost sign-in, a stream back. */
  private follow(feed: WorkspaceFeed): () => void {
    let lastMode = feed.mode;
    let lastError = feed.error?.message;
    let toldSignIn = false;
    let streamWasDown = false;
    return feed.subscribe((snap) => {
      this.o.workspaces.update(snap.workspaces);
      this.o.forwards.changed();
      if (snap.mode !== lastMode || snap.error?.message !== lastError) {
        lastMode = snap.mode;
        lastError = snap.error?.message;
        this.o.modeChanged();
      }
      // A revoked or expired token: say so once, instead of a silent "offline".
      if (snap.error?.code === 'unauthorized' && !toldSignIn) {
        toldSignIn = true;
        notice(
          this.o.bus,
          'warning',
          'Your RunCode sign-in has expired or was revoked: sign in again.',
          'sign_in_needed',
        );
      } else if (snap.mode === 'stream') toldSignIn = false;
      // The stream is back, so is the server: renewals that failed need not wait out their backoff.
      if (snap.mode === 'stream' && streamWasDown) void this.o.app.refresher?.retryFailedNow();
      streamWasDown = snap.mode !== 'stream';
    });
  }
}
