// The workspaces the tray shows: the last list (from the live feed, or a list call while it is
// not streaming), the connections this machine holds, and each start or stop the user asked for
// until the workspace gets there. Emits `workspaces:changed` with its view after every change.
import type { LinkView, WorkspaceView } from '../../shared/contract.js';
import type { Workspace } from '../../shared/protocol.js';
import type { RuncodeApp } from '../app/runcodeApp.js';
import type { ConnectionRecord } from '../state/connectionStore.js';
import type { TrayBus } from './trayBus.js';
import { notice } from './trayBus.js';
import { workspaceViews } from './views.js';

export interface WorkspaceModelOptions {
  app: RuncodeApp;
  bus: TrayBus;
  /** A connected workspace's link health, shown on its row. */
  link(name: string): LinkView | undefined;
  /** True while the live stream keeps the list current (a list call would add nothing). */
  streaming(): boolean;
}

export class WorkspaceModel {
  private workspaces: readonly Workspace[] = [];
  private connections: ConnectionRecord[] = [];
  private readonly pending = new Map<string, 'start' | 'stop'>();
  private linkQueued = false;

  constructor(private readonly o: WorkspaceModelOptions) {}

  /** The last list, as the server sent it. */
  get all(): readonly Workspace[] {
    return this.workspaces;
  }

  find(name: string): Workspace | undefined {
    return this.workspaces.find((w) => w.name === name);
  }

  /** This machine's connection to the workspace, if it holds one. */
  connection(name: string): ConnectionRecord | undefined {
    return this.connections.find((c) => c.name === name);
  }

  views(): WorkspaceView[] {
    return workspaceViews(this.workspaces, this.connections, this.pending, this.o.link);
  }

  changed(): void {
    this.o.bus.emit('workspaces:changed', this.views());
  }

  /** A list from the live feed: what it shows done is settled, then the view is told. */
  update(list: readonly Workspace[]): void {
    this.workspaces = list;
    this.settlePending();
    this.changed();
  }

  /** The feed's first list; told together with the connections that follow it. */
  seed(list: readonly Workspace[]): void {
    this.workspaces = list;
  }

  /** Signed out: nothing to show. */
  clear(): void {
    this.workspaces = [];
    this.connections = [];
  }

  async list(): Promise<WorkspaceView[]> {
    if (!this.o.streaming()) this.workspaces = await this.o.app.listWorkspaces();
    this.connections = await this.o.app.connections.list();
    return this.views();
  }

  start(name: string): Promise<WorkspaceView> {
    return this.transition(name, 'start', (n) => this.o.app.start(n));
  }

  stop(name: string): Promise<WorkspaceView> {
    return this.transition(name, 'stop', (n) => this.o.app.stop(n));
  }

  async connect(name: string): Promise<{ alias: string; command: string }> {
    // The workspace the tray holds (no second list request); a cached state other than running
    // may be stale, so then the name (connect looks it up afresh).
    const held = this.find(name);
    const { alias, record } = await this.o.app.connect(held?.state === 'running' ? held : name, {});
    // The record connect wrote (no re-read of connections.json).
    this.connections = [...this.connections.filter((c) => c.name !== name), record];
    this.changed();
    return { alias, command: `ssh ${alias}` };
  }

  /** Re-reads the connections (a renewal, or another process connected or disconnected). */
  async reloadConnections(): Promise<void> {
    this.connections = await this.o.app.connections.list().catch(() => this.connections);
    this.changed();
  }

  /** Link health changes come in bursts (a page opening many connections): one view per burst. */
  linkChanged(): void {
    if (this.linkQueued) return;
    this.linkQueued = true;
    setImmediate(() => {
      this.linkQueued = false;
      this.changed();
    });
  }

  private async transition(
    name: string,
    kind: 'start' | 'stop',
    call: (n: string) => Promise<Workspace>,
  ): Promise<WorkspaceView> {
    this.pending.set(name, kind);
    this.changed();
    try {
      const ws = await call(name);
      this.workspaces = this.workspaces.map((w) =>
        w.id === ws.id && Date.parse(ws.updatedAt) >= Date.parse(w.updatedAt) ? ws : w,
      );
      this.settlePending();
      this.changed();
      return this.views().find((w) => w.name === name)!;
    } catch (e) {
      this.pending.delete(name);
      this.changed();
      throw e;
    }
  }

  /** A start is settled once the workspace runs (or fails); a stop once it is stopped. */
  private settlePending(): void {
    for (const [name, kind] of this.pending) {
      const w = this.find(name);
      if (!w) continue;
      if (kind === 'start' && (w.state === 'running' || w.state === 'failed')) {
        this.pending.delete(name);
        if (w.state === 'running') notice(this.o.bus, 'info', `${name} is ready`);
        else
          notice(this.o.bus, 'error', `${name} failed to start${w.stateReason ? `: ${w.stateReason}` : ''}`);
      }
      if (kind === 'stop' && (w.state === 'stopped' || w.state === 'failed')) this.pending.delete(name);
    }
  }
}
