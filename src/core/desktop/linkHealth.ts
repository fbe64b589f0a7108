// Health of each workspace's shared SSH link, as the tray shows it: up/down since when, why it is
// down and when it tries again, the last round trip. Fed by the forward manager's LinkObserver
// hooks (so it costs nothing when idle: no probe of its own), read as LinkViews.
import type { LinkView } from '../../shared/contract.js';
import type { Clock } from '../clock.js';
import type { LinkObserver } from '../forwards/forwardManager.js';
import type { LinkState } from '../forwards/workspaceConnection.js';

/** A link down for longer than this turns the tray icon to "attention" (a gateway blip does not). */
export const LINK_DOWN_GRACE_MS = 15_000;

interface Entry {
  state: LinkView['state'];
  since: number;
  reason?: string;
  retryAt?: number;
  rttMs?: number;
  rttAt?: number;
  /** Monotonic time it went down (for the grace). */
  downAt?: number;
  cancelGrace?: () => void;
}

const VIEW_STATE: Record<LinkState, LinkView['state']> = {
  connecting: 'connecting',
  connected: 'up',
  reconnecting: 'down',
  failed: 'down',
};

export class LinkHealth implements LinkObserver {
  private readonly links = new Map<string, Entry>();

  /**
   * @param changed called after each change worth showing (state, reason, retry, round trip), and
   *   once more when a down link outlives the grace (so the tray icon can turn).
   */
  constructor(
    private readonly clock: Clock,
    private readonly changed: (workspace: string) => void,
    private readonly graceMs = LINK_DOWN_GRACE_MS,
  ) {}

  state(workspace: string, state: LinkState, reason: string | undefined): void {
    const prev = this.links.get(workspace);
    const view = VIEW_STATE[state];
    const e: Entry = prev && prev.state === view ? prev : { state: view, since: this.clock.now() };
    if (prev && prev !== e) {
      prev.cancelGrace?.();
      // A round trip stays known across a reconnect: it is still the best guess of the path.
      if (prev.rttMs !== undefined) Object.assign(e, { rttMs: prev.rttMs, rttAt: prev.rttAt });
    }
    e.reason = view === 'down' ? reason : undefined;
    if (view !== 'down') e.retryAt = undefined;
    if (view === 'down' && e.downAt === undefined) {
      e.downAt = this.clock.monotonic();
      e.cancelGrace = this.clock.setTimer(() => this.changed(workspace), this.graceMs);
    }
    this.links.set(workspace, e);
    this.changed(workspace);
  }

  retryAt(workspace: string, atMs: number): void {
    const e = this.links.get(workspace);
    if (!e || e.state !== 'down') return;
    e.retryAt = atMs;
    this.changed(workspace);
  }

  roundTrip(workspace: string, ms: number): void {
    const e = this.links.get(workspace);
    if (!e) return;
    e.rttMs = Math.max(0, Math.round(ms));
    e.rttAt = this.clock.now();
    this.changed(workspace);
  }

  closed(workspace: string): void {
    this.links.get(workspace)?.cancelGrace?.();
    if (this.links.delete(workspace)) this.changed(workspace);
  }

  /** Workspaces whose link has been down for longer than the grace. */
  downTooLong(): string[] {
    const now = this.clock.monotonic();
    return [...this.links]
      .filter(([, e]) => e.downAt !== undefined && now - e.downAt >= this.graceMs)
      .map(([w]) => w);
  }

  view(workspace: string): LinkView | undefined {
    const e = this.links.get(workspace);
    if (!e) return undefined;
    const iso = (t: number) => new Date(t).toISOString();
    return {
      state: e.state,
      since: iso(e.since),
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.retryAt !== undefined ? { nextRetryAt: iso(e.retryAt) } : {}),
      ...(e.rttMs !== undefined ? { rttMs: e.rttMs, rttAt: iso(e.rttAt!) } : {}),
    };
  }

  dispose(): void {
    for (const e of this.links.values()) e.cancelGrace?.();
    this.links.clear();
  }
}
