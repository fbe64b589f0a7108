// Workspace lifecycle: stopped -> starting -> (boot delay, services up) -> running, and
// running -> stopping -> stopped. Every transition goes through the store (persisted, SSE).
import type { Workspace } from '../shared/protocol.js';
import type { ServerStore } from './serverStore.js';
import type { RunningService } from './staticHttpService.js';
import { startStaticHttpService } from './staticHttpService.js';

export interface WorkspaceManagerOptions {
  bootDelayMs: number;
  stopDelayMs: number;
  log: (line: string) => void;
}

export class WorkspaceManager {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly services = new Map<string, RunningService[]>();
  private readonly closing = new Map<string, Promise<void>>();
  /** Bumped on every transition: a timer or boot that finds it changed has been overtaken. */
  private readonly generation = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly store: ServerStore,
    private readonly opts: WorkspaceManagerOptions,
  ) {}

  /**
   * Brings states read from disk back to life: `starting` boots again, `running` restarts its
   * services (or becomes `failed`), `stopping` finishes as `stopped`.
   */
  async resume(): Promise<void> {
    for (const w of this.store.list()) {
      if (w.state === 'starting') {
        const g = this.bump(w.id);
        this.schedule(w.id, this.opts.bootDelayMs, () => this.boot(w.id, g));
      } else if (w.state === 'running') {
        await this.boot(w.id, this.bump(w.id));
      } else if (w.state === 'stopping') {
        this.store.setState(w.id, 'stopped');
      }
    }
  }

  /** Idempotent: a workspace already starting or running is returned as it is. */
  start(id: string): Workspace {
    const s = this.store.stateOf(id);
    if (s === 'running' || s === 'starting') return this.store.get(id)!;
    const g = this.bump(id);
    const w = this.store.setState(id, 'starting');
    this.log(`${id}: starting`);
    this.schedule(id, this.opts.bootDelayMs, () => this.boot(id, g));
    return w;
  }

  /** Idempotent: a workspace already stopping or stopped is returned as it is. */
  stop(id: string): Workspace {
    const s = this.store.stateOf(id);
    if (s === 'stopped' || s === 'stopping') return this.store.get(id)!;
    const g = this.bump(id);
    const w = this.store.setState(id, 'stopping');
    this.log(`${id}: stopping`);
    const closing = this.closeServices(id);
    this.schedule(id, this.opts.stopDelayMs, async () => {
      await closing;
      if (this.isCurrent(id, g)) {
        this.store.setState(id, 'stopped');
        this.log(`${id}: stopped`);
      }
    });
    return w;
  }

  /** Stops timers and services; states stay as they are so a restart brings them back. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.all([...this.services.keys()].map((id) => this.closeServices(id)));
  }

  private log(line: string): void {
    this.opts.log(`workspace ${line}`);
  }

  private bump(id: string): number {
    const g = (this.generation.get(id) ?? 0) + 1;
    this.generation.set(id, g);
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    return g;
  }

  private isCurrent(id: string, g: number): boolean {
    return !this.closed && this.generation.get(id) === g;
  }

  private schedule(id: string, ms: number, fn: () => Promise<void>): void {
    const t = setTimeout(() => {
      this.timers.delete(id);
      fn().catch((e: unknown) => this.log(`${id}: ${String(e)}`));
    }, ms);
    this.timers.set(id, t);
  }

  private async boot(id: string, g: number): Promise<void> {
    await this.closing.get(id);
    let started: RunningService[];
    try {
      started = await this.startServices(id);
    } catch (e) {
      if (this.isCurrent(id, g)) {
        this.store.setState(id, 'failed', (e as Error).message);
        this.log(`${id}: failed: ${(e as Error).message}`);
      }
      return;
    }
    if (!this.isCurrent(id, g)) {
      await Promise.all(started.map((s) => s.close()));
      return;
    }
    this.services.set(id, started);
    if (this.store.stateOf(id) !== 'running') this.store.setState(id, 'running');
    this.log(`${id}: running`);
  }

  private async startServices(id: string): Promise<RunningService[]> {
    const def = this.store.def(id)!;
    const started: RunningService[] = [];
    for (const s of def.services) {
      try {
        started.push(await startStaticHttpService(s, def.dir));
      } catch (e) {
        await Promise.all(started.map((r) => r.close()));
        const code = (e as NodeJS.ErrnoException).code;
        // The message becomes the workspace's stateReason: one plain line, no stack.
        const why =
          code === 'EADDRINUSE'
            ? `port ${s.port} is already in use`
            : `service on port ${s.port} could not start (${code ?? 'error'})`;
        throw new Error(why, { cause: e });
      }
    }
    return started;
  }

  private closeServices(id: string): Promise<void> {
    const list = this.services.get(id) ?? [];
    this.services.delete(id);
    const p = Promise.all(list.map((s) => s.close())).then(() => undefined);
    this.closing.set(id, p);
    return p;
  }
}
