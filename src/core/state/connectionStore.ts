// Which workspaces this machine is connected to: for each, the key it registered and the pass it
// holds. Shared by the tray and the CLI (`<state>/connections.json`), so `runcode agent` keeps
// fresh what the tray connected, and the other way round.
import path from 'node:path';
import * as z from '../zodMini.js';
import type { SshPass } from '../../shared/protocol.js';
import { idSchema, sshPassSchema, workspaceNameSchema } from '../api/schemas.js';
import { parseEd25519PublicKey } from '../ssh/opensshKey.js';
import { JsonStateFile } from './jsonStateFile.js';

export interface ConnectionRecord {
  name: string;
  workspaceId: string;
  /** The public half of the key in `<state>/keys/NAME`, as registered. */
  publicKey: string;
  pass: SshPass;
  /** When the current pass was issued (ISO); with expiresAt it gives the pass's life. */
  issuedAt: string;
}

const recordSchema = z.object({
  name: workspaceNameSchema,
  workspaceId: idSchema,
  publicKey: z
    .string()
    .check(z.refine((k) => parseEd25519PublicKey(k) !== undefined, 'not an ssh-ed25519 key')),
  pass: sshPassSchema,
  issuedAt: z.iso.datetime({ offset: true }),
});

const fileSchema = z.object({
  version: z.literal(1),
  connections: z.array(recordSchema).check(z.maxLength(10_000)),
});

export class ConnectionStore {
  private readonly file: JsonStateFile<typeof fileSchema>;

  constructor(stateDir: string) {
    this.file = new JsonStateFile(path.join(stateDir, 'connections.json'), fileSchema, () => ({
      version: 1 as const,
      connections: [],
    }));
  }

  get path(): string {
    return this.file.path;
  }

  async all(): Promise<ConnectionRecord[]> {
    return (await this.file.read()).connections;
  }

  async get(name: string): Promise<ConnectionRecord | undefined> {
    return (await this.all()).find((c) => c.name === name);
  }

  /** Adds or replaces `record.name`'s record; resolves with the one it replaced (one read). */
  async put(record: ConnectionRecord): Promise<ConnectionRecord | undefined> {
    let previous: ConnectionRecord | undefined;
    await this.file.update((f) => {
      previous = f.connections.find((c) => c.name === record.name);
      return {
        ...f,
        connections: [...f.connections.filter((c) => c.name !== record.name), record].sort((a, b) =>
          a.name.localeCompare(b.name),
        ),
      };
    });
    return previous;
  }

  /**
   * Replaces many records in one write (a refresh batch). A record whose workspace was
   * disconnected meanwhile, or reconnected with another key, is left as the file has it; those
   * are returned (their renewed passes are for keys no record names any more).
   */
  async replaceMany(records: readonly ConnectionRecord[]): Promise<ConnectionRecord[]> {
    const byName = new Map(records.map((r) => [r.name, r]));
    await this.file.update((f) => ({
      ...f,
      connections: f.connections.map((c) => {
        const r = byName.get(c.name);
        if (r && r.publicKey === c.publicKey) {
          byName.delete(c.name);
          return r;
        }
        return c;
      }),
    }));
    return [...byName.values()];
  }

  async remove(name: string): Promise<void> {
    await this.file.update((f) => ({ ...f, connections: f.connections.filter((c) => c.name !== name) }));
  }

  async clear(): Promise<void> {
    await this.file.remove();
  }
}
