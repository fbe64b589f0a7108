// The one writer of RunCode's ssh config hosts (DESIGN.md "Our own ssh config, and the opt-in
// ~/.ssh/config block"). Every change goes to our own `<state>/ssh_config`; the user's
// ~/.ssh/config block mirrors it only while the user opted in (`userBlockEnabled()`).
//
// Many workspaces changing at once (sign-in, wake from sleep, a refresh round) must cost one
// write per file, not one each: changes queued within `windowMs` form a batch, one
// read-modify-write under the lock, and every caller of the batch gets its result.
//
// For the composition root (RuncodeApp):
//   const own = SshConfigFile.own(stateDir);
//   const user = new SshConfigFile({ path: sshConfigPath, stateDir });
//   const writer = new CoalescingConfigWriter(own, {
//     userFile: user,
//     userBlockEnabled: async () => (await settings.read()).sshConfigOptIn,
//   });
//   connect/disconnect: writer.upsert(entry) / writer.remove(name), then flush()
//   before registering anything: await writer.preflight()
//   `config-ssh`: set the setting true, then writer.setUserBlock(entriesOfEveryRecord)
//   `config-ssh --remove`: writer.removeUserBlock(), then set the setting false
//   records rewritten from scratch (repair, sign-in): writer.replaceAll(entries)
import type { HostEntry } from './hostEntry.js';
import { validateHostEntry } from './sshConfigBlock.js';
import type { ConfigChange, SshConfigFile } from './sshConfigFile.js';

type Change = { upsert: HostEntry } | { remove: string };

/** The result of a batch: our own file's change, and the user's block's when it was written. */
export interface WriterChange extends ConfigChange {
  user?: ConfigChange;
}

export interface CoalescingConfigWriterOptions {
  /** How long changes wait to join a batch (default 20 ms). */
  windowMs?: number;
  /** The user's ~/.ssh/config. */
  userFile?: Pick<SshConfigFile, 'apply' | 'remove' | 'preflight'>;
  /** Asked once per batch: should the user's block follow our own file? (default: never) */
  userBlockEnabled?: () => Promise<boolean>;
}

interface Batch {
  changes: Change[];
  promise: Promise<WriterChange>;
  resolve: (c: WriterChange) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
}

export class CoalescingConfigWriter {
  private batch: Batch | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly windowMs: number;
  private readonly userFile: CoalescingConfigWriterOptions['userFile'];
  private readonly userBlockEnabled: () => Promise<boolean>;
  /** Batches written so far (one config update each). */
  writes = 0;

  /**
   * `file`: the file every change goes to (our own `<state>/ssh_config`; older callers passed
   * the user's config here, which still works: then there is no separate user block).
   */
  constructor(
    private readonly file: Pick<SshConfigFile, 'update'> & Partial<Pick<SshConfigFile, 'read' | 'preflight'>>,
    options: number | CoalescingConfigWriterOptions = {},
  ) {
    const o = typeof options === 'number' ? { windowMs: options } : options;
    this.windowMs = o.windowMs ?? 20;
    this.userFile = o.userFile;
    this.userBlockEnabled = o.userBlockEnabled ?? (() => Promise.resolve(false));
  }

  /** Adds or replaces the entry for `entry.name`. A bad entry rejects here, not its batch. */
  upsert(entry: HostEntry): Promise<WriterChange> {
    try {
      validateHostEntry(entry);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.enqueue({ upsert: { ...entry } });
  }

  remove(name: string): Promise<WriterChange> {
    return this.enqueue({ remove: name });
  }

  /** Writes the pending batch now and waits for every write in flight. */
  async flush(): Promise<void> {
    const b = this.batch;
    if (b) {
      clearTimeout(b.timer);
      this.start(b);
    }
    await this.tail.catch(() => undefined);
  }

  dispose(): Promise<void> {
    return this.flush();
  }

  /** Our own file := `entries`, and the user's block too while enabled (after pending changes). */
  replaceAll(entries: readonly HostEntry[]): Promise<WriterChange> {
    return this.serial(async () => {
      const own = await this.file.update(() => entries);
      const user = this.userFile && (await this.userBlockEnabled()) ? await this.userFile.apply(entries) : undefined;
      return { ...own, ...(user ? { user } : {}) };
    });
  }

  /**
   * The user's block := `entries` (`config-ssh`, whatever userBlockEnabled() says; without
   * entries: those of our own file). Rejects without a user file.
   */
  setUserBlock(entries?: readonly HostEntry[]): Promise<ConfigChange> {
    return this.serial(async () => {
      const want = entries ?? (await this.file.read?.()) ?? [];
      return this.needUserFile().apply(want);
    });
  }

  /** Removes the user's block byte-exactly (`config-ssh --remove`). */
  removeUserBlock(): Promise<ConfigChange> {
    return this.serial(() => this.needUserFile().remove());
  }

  /**
   * Check before act: our own file, and the user's config while the block is enabled, can be
   * written and have valid markers; rejects (`config_not_writable`, `config_markers`) otherwise.
   */
  async preflight(): Promise<void> {
    await this.file.preflight?.();
    if (this.userFile && (await this.userBlockEnabled())) await this.userFile.preflight();
  }

  private needUserFile(): NonNullable<CoalescingConfigWriterOptions['userFile']> {
    if (!this.userFile) throw new Error('CoalescingConfigWriter: no userFile configured');
    return this.userFile;
  }

  /** Runs `fn` after every batch queued or in flight, and before any later one. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const b = this.batch;
    if (b) {
      clearTimeout(b.timer);
      this.start(b);
    }
    const run = this.tail.catch(() => undefined).then(fn);
    this.tail = run;
    return run;
  }

  private enqueue(change: Change): Promise<WriterChange> {
    if (!this.batch) {
      let resolve!: (c: WriterChange) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<WriterChange>((res, rej) => {
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
    this.tail = this.tail
      .catch(() => undefined)
      .then(async () => {
        try {
          this.writes++;
          let entries: HostEntry[] | undefined;
          const own = await this.file.update((current) => (entries = applyChanges(current, batch.changes)));
          // The user's block mirrors our own file (not just this batch): it heals if it fell behind.
          const mirror = entries && this.userFile && (await this.userBlockEnabled());
          const user = mirror ? await this.userFile!.apply(entries!) : undefined;
          batch.resolve({ ...own, ...(user ? { user } : {}) });
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
