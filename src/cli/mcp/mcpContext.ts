// What the tools of one `runcode mcp` session share: the app, the ssh links, the forwards, the
// attached workspace and every command still running (so a dropped client ends them all).
import type { RuncodeApp } from '../../core/app/runcodeApp.js';
import { ForwardManager } from '../../core/forwards/forwardManager.js';
import { readAttached, writeAttached } from '../../core/state/attachment.js';
import { UsageError } from '../defineCommand.js';
import { defaultWorkspace, workspaceName } from '../ensureConnected.js';
import { SshLinks } from './sshLinks.js';

export class McpContext {
  readonly links: SshLinks;
  readonly forwards: ForwardManager;
  private readonly running = new Set<AbortController>();
  private stopWatching: (() => void) | undefined;
  private refresherStarted = false;
  /** Told when what list_workspaces shows may have changed (the resource's subscribers). */
  onChange: () => void = () => undefined;

  constructor(readonly app: RuncodeApp) {
    this.links = new SshLinks(app);
    this.forwards = new ForwardManager({ getTarget: (w) => app.connections.target(w) });
    // Traffic counters change every second; only a forward's state or its end is news.
    const states = new Map<string, string>();
    this.forwards.subscribe((e) => {
      const [key, state] =
        e.type === 'removed'
          ? [`${e.workspace}:${e.remotePort}`, 'removed']
          : [`${e.forward.workspace}:${e.forward.remotePort}`, e.forward.state];
      if (states.get(key) === state) return;
      states.set(key, state);
      this.onChange();
    });
    // Connections made, renewed or dropped by any process (the refresher follows once started).
    this.stopWatching = app.watchConnections(() => this.onChange());
  }

  /** The attached workspace: the same <state>/attached.json as `runcode connect` and the tray. */
  attached(): Promise<string | undefined> {
    return readAttached(this.app.opts.stateDir);
  }

  attach(name: string | undefined): Promise<void> {
    return writeAttached(this.app.opts.stateDir, name);
  }

  /**
   * The workspace a call is about: the one named, else the attached one, else the only connected
   * one (the CLI's rule, in this server's words). Names are checked as the CLI checks them.
   */
  async workspace(name: string | undefined): Promise<string> {
    if (name !== undefined) return workspaceName(name);
    const found = await defaultWorkspace(this.app);
    if (typeof found === 'string') return found;
    const names = found.connected;
    throw new UsageError(
      names.length === 0
        ? 'no workspace is attached: call connect with its name first (or pass workspace)'
        : `several workspaces are connected (${names.join(', ')}): pass workspace, or call connect to attach one`,
    );
  }

  /**
   * Keeps the passes of connected workspaces fresh while the session lasts (as `runcode agent`
   * does), so links and forwards outlive a pass; started with the first connection.
   */
  async keepFresh(): Promise<void> {
    if (this.refresherStarted) return;
    this.refresherStarted = true;
    await this.app.startRefresher().catch(() => undefined);
  }

  /** An AbortController that ends with the session. */
  track(): { signal: AbortSignal; release(): void; abort(): void } {
    const ac = new AbortController();
    this.running.add(ac);
    return { signal: ac.signal, release: () => this.running.delete(ac), abort: () => ac.abort() };
  }

  /** Ends every command and forward this session started. */
  async dispose(): Promise<void> {
    for (const ac of this.running) ac.abort();
    this.running.clear();
    this.stopWatching?.();
    await this.forwards.dispose().catch(() => undefined);
    this.links.dispose();
  }
}
