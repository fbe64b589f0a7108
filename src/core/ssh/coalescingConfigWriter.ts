// Many workspaces changing at once (sign-in, wake from sleep, a refresh round) must cost one
// ~/.ssh/config write, not one each. Changes queued within `windowMs` form a batch: one
// read-modify-write under the lock, and every caller of the batch gets its result.
import type { ConfigChange, SshConfigFile } from './sshConfigFile.js';
import type { HostEntry } from './sshConfigBlock.js';
import { validateHostEntry } from './sshConfigBlock.js';

type Change = { upsert: HostEntry } | { remove: string };

interface Batch {
  changes: Change[];
  promise: Promise<ConfigChange>;
  resolve: (c: ConfigChange) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
}

export class CoalescingConfigWriter {
  private batch: Batch | undefined;
  private tail: Promise<void> = Promise.resolve();
  /** Batches written so far (one config update each). */
  writes = 0;

  constructor(
    private readonly file: Pick<SshConfigFile, 'update'>,
    private readonly windowMs = 20,
  ) {}

  /** Adds or replaces the entry for `entry.name`. A bad entry rejects here, not its batch. */
  upsert(entry: HostEntry): Promise<ConfigChange> {
    try {
      validateHostEntry(entry);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.enqueue({ upsert: { ...entry } });
  }

  remove(name: string): Promise<ConfigChange> {
    return this.enqueue({ remove: name });
  }

  /** Writes the pending batch now and waits for every write in flight. */
  async flush(): Promise<void> {
    const b = this.batch;
    if (b) {
      clearTimeout(b.timer);
      this.start(b);
    }
    await this.tail;
  }

  dispose(): Promise<void> {
    return this.flush();
  }

  private enqueue(change: Change): Promise<ConfigChange> {
    if (!this.batch) {
      let resolve!: (c: ConfigChange) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<ConfigChange>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      const batch: Batch = { changes: [], promise, resolve, reject, timer: undefined as never };
      batch.timer = setTimeout(() => this.start(batch), this.windowMs);
      this.batch = batch;
    }
    this.batch.changes.push(change);
    return this.batch.promise;
  }

  private start(batch: Batch): void {
    if (this.batch === batch) this.batch = undefined;
    this.tail = this.tail.then(async () => {
      try {
        this.writes++;
        batch.resolve(await this.file.update((current) => applyChanges(current, batch.changes)));
      } catch (e) {
        batch.reject(e);
      }
    });
  }
}

function applyChanges(current: readonly HostEntry[], changes: readonly Change[]): HostEntry[] {
  const byName = new Map(current.map((e) => [e.name, e]));
  for (const c of changes) {
    if ('upsert' in c) byName.set(c.upsert.name, c.upsert);
    else byName.delete(c.remove);
  }
  return [...byName.values()];
}
