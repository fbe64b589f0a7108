// The block an SshConfigFile read or wrote last, with its entries: parsing 1,000 hosts costs
// ~25 ms, and a read-modify-write would parse the block it wrote itself, twice per write. Kept
// by its exact bytes (latin1, as in the file): the same bytes read the same.
import type { HostEntry } from './hostEntry.js';
import { fromLatin1 } from './latin1Text.js';
import { locateBlock, readBlock } from './sshConfigBlock.js';

export interface Kept {
  block: string;
  entries: readonly HostEntry[];
}

/** The entries as readBlock gives them back: its fields, in its order. */
const asRead = (e: HostEntry): HostEntry => ({
  name: e.name,
  hostName: e.hostName,
  port: e.port,
  user: e.user,
  identityFile: e.identityFile,
  knownHostsFile: e.knownHostsFile,
  hostKeyAlias: e.hostKeyAlias,
});

export class KeptBlock {
  private kept: Kept | undefined;

  /** The hosts in the block of `text` ([] without one). A corrupt block: `config_markers`. */
  entriesOf(text: string, where: string): HostEntry[] {
    const span = locateBlock(text, where);
    if (!span) return [];
    const block = text.slice(span.start, span.end);
    if (this.kept?.block !== block) this.kept = { block, entries: readBlock(fromLatin1(block), where) };
    return this.kept.entries.map((e) => ({ ...e }));
  }

  /**
   * What writing `out` (with `next` rendered into it) would keep: readBlock gives back the
   * rendered entries, sorted (sshConfigBlock.test.ts). Worked out while ssh -G runs; keep() it
   * once the write stands.
   */
  static of(out: string, next: readonly HostEntry[], where: string): Kept | undefined {
    try {
      const span = locateBlock(out, where);
      const entries = [...next].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(asRead);
      return span ? { block: out.slice(span.start, span.end), entries } : undefined;
    } catch {
      return undefined; // only a cache: the next read parses
    }
  }

  keep(kept: Kept | undefined): void {
    this.kept = kept;
  }
}
