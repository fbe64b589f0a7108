// The renewals of one refresh batch: connections.json read once for the batch, not once per
// workspace, and the renewed records written in one update at its end. Rewriting the file once
// per renewal costs O(records) each (read, validate, write), O(records^2) a batch: 500 workspaces
// renewed at ~15 a second.
import type { ConnectionRecord, ConnectionStore } from '../state/connectionStore.js';

export class RenewalBatch {
  /** Records renewed with `deferWrite`, not yet in connections.json. */
  private readonly renewed = new Map<string, ConnectionRecord>();
  /** connections.json as read once for the current batch. */
  private read: Promise<Map<string, ConnectionRecord>> | undefined;

  constructor(private readonly store: ConnectionStore) {}

  /** `rec` with its renewal not yet written laid over it (for the same key only). */
  latest(rec: ConnectionRecord): ConnectionRecord {
    const r = this.renewed.get(rec.name);
    return r && r.publicKey === rec.publicKey ? r : rec;
  }

  /** The record a renewal in this batch starts from. */
  async record(name: string): Promise<ConnectionRecord | undefined> {
    this.read ??= this.store.all().then((all) => new Map(all.map((c) => [c.name, c])));
    return this.renewed.get(name) ?? (await this.read).get(name);
  }

  /** A renewed record, written at the next flush. */
  hold(rec: ConnectionRecord): void {
    this.renewed.set(rec.name, rec);
  }

  /** `name` was reconnected (a new record) or disconnected: its renewal is not written. */
  drop(name: string): void {
    this.renewed.delete(name);
  }

  /** Everything is being disconnected: nothing held, the file read afresh. */
  clear(): void {
    this.renewed.clear();
    this.read = undefined;
  }

  /**
   * Writes the held records in one update and lets the next batch read the file afresh. `stale`:
   * those whose workspace was reconnected with another key or disconnected meanwhile (not written).
   */
  async flush(): Promise<{ written: ConnectionRecord[]; stale: ConnectionRecord[] }> {
    this.read = undefined;
    if (this.renewed.size === 0) return { written: [], stale: [] };
    const records = [...this.renewed.values()];
    this.renewed.clear();
    let stale: ConnectionRecord[];
    try {
      stale = await this.store.replaceMany(records);
    } catch (e) {
      // Kept for the next flush, unless a later renewal replaced them meanwhile.
      for (const r of records) if (!this.renewed.has(r.name)) this.renewed.set(r.name, r);
      throw e;
    }
    return { written: records.filter((r) => !stale.includes(r)), stale };
  }
}
