// The tray's port forwards: the ForwardManager with the popover's rules around it (a forward needs
// a connection first, ports added by hand are remembered, what is on is saved and brought back at
// sign-in). Emits `forwards:changed` with every port on offer and its forward's state.
import type { ForwardView } from '../../shared/contract.js';
import type { RuncodeApp } from '../app/runcodeApp.js';
import { RuncodeError } from '../errors.js';
import { ForwardManager } from '../forwards/forwardManager.js';
import type { LinkObserver } from '../forwards/forwardManager.js';
import type { TrayBus } from './trayBus.js';
import { notice } from './trayBus.js';
import { forwardViews } from './views.js';
import type { WorkspaceModel } from './workspaceModel.js';

export interface TrayForwardsOptions {
  app: RuncodeApp;
  bus: TrayBus;
  workspaces: WorkspaceModel;
  /** Told about each workspace's shared SSH connection (the tray's link health). */
  links: LinkObserver;
}

export class TrayForwards {
  private readonly manager: ForwardManager;
  private extraPorts: Record<string, number[]> = {};

  constructor(private readonly o: TrayForwardsOptions) {
    this.manager = new ForwardManager({
      getTarget: (ws) => o.app.connections.target(ws),
      clock: o.app.clock,
      links: o.links,
    });
    this.manager.subscribe(() => this.changed());
  }

  /** Reads the ports added by hand (settings). */
  async load(): Promise<void> {
    this.extraPorts = (await this.o.app.settings.get()).extraPorts;
  }

  views(): ForwardView[] {
    return forwardViews(this.o.workspaces.all, this.extraPorts, this.manager.list());
  }

  changed(): void {
    this.o.bus.emit('forwards:changed', this.views());
  }

  anyFailed(): boolean {
    return this.manager.list().some((f) => f.state === 'failed');
  }

  async toggle(workspace: string, remotePort: number, enabled: boolean): Promise<ForwardView> {
    if (enabled) {
      if (!this.o.workspaces.connection(workspace)) await this.o.workspaces.connect(workspace);
      await this.manager.add({ workspace, remotePort });
    } else {
      await this.manager.remove(workspace, remotePort);
    }
    await this.o.app.settings.set({ forwards: this.manager.wanted() });
    return this.view(workspace, remotePort);
  }

  /** A port the workspace does not list: remembered, and its forward turned on. */
  async addPort(workspace: string, remotePort: number): Promise<ForwardView> {
    if (!this.o.workspaces.find(workspace)) {
      throw new RuncodeError('not_found', `no workspace named "${workspace}"`);
    }
    const ports = new Set(this.extraPorts[workspace] ?? []);
    ports.add(remotePort);
    this.extraPorts = { ...this.extraPorts, [workspace]: [...ports].sort((a, b) => a - b) };
    await this.o.app.settings.set({ extraPorts: this.extraPorts });
    return this.toggle(workspace, remotePort, true);
  }

  /** The saved forwards, back at sign-in; one that cannot start is a notice, the others start. */
  async restore(): Promise<void> {
    const saved = (await this.o.app.settings.get()).forwards;
    const results = await this.manager.restore(saved);
    for (const r of results)
      if (!r.ok)
        notice(
          this.o.bus,
          'warning',
          `Port ${r.wanted.remotePort} of ${r.wanted.workspace}: ${r.error.message}`,
          r.error.code,
        );
  }

  /** Signing out: every forward closed, but the manager kept for the next sign-in. */
  async closeAll(): Promise<void> {
    await Promise.all(
      this.manager.list().map((f) => this.manager.remove(f.workspace, f.remotePort).catch(() => undefined)),
    );
  }

  /** Signed out: no forward to bring back at the next sign-in. */
  async forgetSaved(): Promise<void> {
    await this.o.app.settings.set({ forwards: [] });
  }

  /** A heartbeat of the live stream: the shared SSH connections are checked on it. */
  keepaliveTick(): void {
    this.manager.keepaliveTick();
  }

  reconnectNow(): void {
    this.manager.reconnectNow();
  }

  async dispose(): Promise<void> {
    await this.manager.dispose().catch(() => undefined);
  }

  private view(workspace: string, remotePort: number): ForwardView {
    const v = this.views().find((f) => f.workspace === workspace && f.remotePort === remotePort);
    if (!v) throw new RuncodeError('not_found', `no forward for ${workspace}:${remotePort}`);
    return v;
  }
}
