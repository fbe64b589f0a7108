// The tray's face of the Updater: its state as the popover shows it, "Check now" and "Restart to
// update", with the settings switch read from core's settings. No backend (a dev build, tests):
// no updates, and the popover shows none of it.
import type { UpdateView } from '../../shared/contract.js';
import type { RuncodeApp } from '../app/runcodeApp.js';
import { RuncodeError } from '../errors.js';
import type { UpdateBackend, UpdateState } from '../updates/updater.js';
import { Updater } from '../updates/updater.js';

export interface UpdateActionsOptions {
  app: RuncodeApp;
  backend?: UpdateBackend;
  notice(message: string): void;
  /** The state changed (the session view carries it). */
  changed(): void;
}

export function updateView(s: UpdateState): UpdateView {
  switch (s.kind) {
    case 'downloading':
    case 'ready':
      return { state: s.kind, version: s.version };
    case 'failed':
      return { state: 'failed', message: s.message };
    case 'idle':
      return { state: 'idle', ...(s.checkedAt ? { checkedAt: new Date(s.checkedAt).toISOString() } : {}) };
    default:
      return { state: s.kind };
  }
}

export class UpdateActions {
  private readonly updater: Updater | undefined;

  constructor(o: UpdateActionsOptions) {
    if (!o.backend) return;
    this.updater = new Updater({
      backend: o.backend,
      clock: o.app.clock,
      enabled: async () => (await o.app.settings.get()).autoUpdate !== false,
      notify: (m) => o.notice(m),
      onState: () => o.changed(),
    });
  }

  view(): UpdateView | undefined {
    return this.updater ? updateView(this.updater.state) : undefined;
  }

  /** The version waiting for a restart, if any. */
  readyVersion(): string | undefined {
    const s = this.updater?.state;
    return s?.kind === 'ready' ? s.version : undefined;
  }

  start(): void {
    void this.updater?.start();
  }

  settingsChanged(): void {
    void this.updater?.settingsChanged();
  }

  async check(): Promise<UpdateView> {
    if (!this.updater)
      throw new RuncodeError('not_supported', 'updates are available in the installed app only');
    return updateView(await this.updater.checkNow());
  }

  restart(): void {
    if (!this.updater?.restartToUpdate()) {
      throw new RuncodeError('not_ready', 'no update has been downloaded yet');
    }
  }

  dispose(): void {
    this.updater?.dispose();
  }
}
