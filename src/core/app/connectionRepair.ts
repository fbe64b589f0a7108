// Heals what a crash or a race left between a workspace's key, pass, pin, record and config
// entry. The record in connections.json is the truth: the key it names must exist (else a fresh
// key is registered), the pin must hold its host keys, the config entry must name its key; every
// other key file of the workspace is an orphan whose pass is revoked and whose files go.
// Each workspace is healed under its connection lock, so a connect running elsewhere finishes first.
import { parseEd25519PublicKey } from '../ssh/opensshKey.js';
import type { CoalescingConfigWriter } from '../ssh/coalescingConfigWriter.js';
import type { KnownHosts } from '../ssh/knownHosts.js';
import type { HostEntry } from '../ssh/hostEntry.js';
import type { KeyStore, NameFiles } from '../keys/keyStore.js';
import { keyId } from '../keys/keyFileName.js';
import type { ConnectionRecord, ConnectionStore } from '../state/connectionStore.js';
import { atomicWrite } from '../fs/atomicWrite.js';
import fs from 'node:fs/promises';
import { workspaceOfHostKeyAlias } from '../ssh/sshValues.js';

export interface RepairDeps {
  keys: KeyStore;
  knownHosts: KnownHosts;
  store: ConnectionStore;
  config: CoalescingConfigWriter;
  entry(rec: ConnectionRecord): HostEntry;
  hostKeyAlias(name: string): string;
  lock<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Best effort; never throws. */
  revoke(workspaceId: string, publicKey: string): Promise<void>;
  /** A fresh key and pass for a record whose key is gone (runs inside the caller's lock). */
  rekey(ws: { id: string; name: string }): Promise<ConnectionRecord>;
  /** The workspace id for a name no record knows (best effort: the API's list). */
  workspaceIdOf(name: string): Promise<string | undefined>;
}

const EMPTY: NameFiles = { keys: new Map(), temps: [], legacy: {} };
const canonical = (k: string): string | undefined => parseEd25519PublicKey(k)?.line;

export class ConnectionRepair {
  constructor(private readonly d: RepairDeps) {}

  /**
   * The start-up sweep (connect, agent and tray start): a lock-free look at every workspace,
   * then each one that needs it healed under its lock. Resolves with the names it repaired.
   */
  async sweep(): Promise<string[]> {
    const [records, files, pins] = await Promise.all([
      this.d.store.all(),
      this.d.keys.scan(),
      this.d.knownHosts.list().catch(() => []),
    ]);
    const byName = new Map(records.map((r) => [r.name, r]));
    const pinned = new Map<string, string[]>();
    for (const p of pins) pinned.set(p.alias, [...(pinned.get(p.alias) ?? []), p.key]);
    const names = new Set([...byName.keys(), ...files.keys()]);
    for (const alias of pinned.keys()) {
      const name = workspaceOfHostKeyAlias(alias);
      if (name !== undefined) names.add(name);
    }
    const repaired: string[] = [];
    for (const name of [...names].sort()) {
      const rec = byName.get(name);
      const pin = pinned.get(this.d.hostKeyAlias(name));
      if (!needsHealing(rec, files.get(name) ?? EMPTY, pin)) continue;
      await this.heal(name).then(
        () => repaired.push(name),
        () => undefined, // one workspace that cannot be healed now must not stop the others
      );
    }
    // Entries name the recorded keys (a crash between the record and the config write left the old one).
    for (const rec of records) void this.d.config.upsert(this.d.entry(rec)).catch(() => undefined);
    await this.d.config.flush();
    return repaired;
  }

  /** Brings one workspace in line with its record, under its lock. */
  heal(name: string): Promise<ConnectionRecord | undefined> {
    return this.d.lock(name, () => this.healLocked(name));
  }

  /** Deletes `name`'s key files other than `keep`'s and revokes the passes they were granted. */
  async tidy(name: string, keep: ConnectionRecord | undefined, workspaceId?: string): Promise<void> {
    const files = (await this.d.keys.scan()).get(name) ?? EMPTY;
    const keepLine = keep && canonical(keep.publicKey);
    const keepId = keep && keyId(keep.publicKey);
    let id = workspaceId ?? keep?.workspaceId;
    const revoke = async (pub: string | undefined) => {
      if (!pub || pub === keepLine) return;
      id ??= await this.d.workspaceIdOf(name).catch(() => undefined);
      if (id) await this.d.revoke(id, pub);
    };
    for (const [kid, f] of files.keys) {
      if (kid === keepId) continue;
      await revoke(await this.publicKeyOf(f));
      if (f.privateKeyPath) await fs.rm(f.privateKeyPath, { force: true });
      if (f.publicKeyPath) await fs.rm(f.publicKeyPath, { force: true });
    }
    if (files.legacy.privateKeyPath || files.legacy.publicKeyPath) {
      await revoke(await this.publicKeyOf(files.legacy));
      for (const p of [files.legacy.privateKeyPath, files.legacy.publicKeyPath])
        if (p) await fs.rm(p, { force: true });
    }
    for (const t of files.temps) {
      // A temp private key may be whole (killed just before its rename) and hold a pass.
      await revoke(await this.d.keys.publicKeyIn(t));
      await fs.rm(t, { force: true });
    }
  }

  private async healLocked(name: string): Promise<ConnectionRecord | undefined> {
    let rec = await this.d.store.get(name);
    if (!rec) {
      const removed = this.d.config.remove(name);
      await this.d.config.flush();
      await removed.catch(() => undefined);
      await this.tidy(name, undefined);
      await this.d.knownHosts.unpin(this.d.hostKeyAlias(name)).catch(() => undefined);
      return undefined;
    }
    const files = (await this.d.keys.scan()).get(name) ?? EMPTY;
    const want = canonical(rec.publicKey);
    const mine = files.keys.get(keyId(rec.publicKey)) ?? {};
    const held = mine.privateKeyPath && (await this.d.keys.publicKeyIn(mine.privateKeyPath));
    if (held !== want) {
      const legacy = files.legacy.privateKeyPath;
      if (legacy && (await this.d.keys.publicKeyIn(legacy)) === want) {
        // Written before keys were named by id: the same key under its new name.
        const { privateKeyPath } = this.d.keys.paths(name, rec.publicKey);
        await atomicWrite(privateKeyPath, await fs.readFile(legacy), { mode: 0o600, keepMode: false });
        await this.d.keys.savePublic(name, rec.publicKey);
      } else {
        // The key the record names is gone: register a fresh one (connect writes all and tidies).
        return this.d.rekey({ id: rec.workspaceId, name });
      }
    } else if (
      !mine.publicKeyPath ||
      (await this.publicKeyOf({ publicKeyPath: mine.publicKeyPath })) !== want
    ) {
      await this.d.keys.savePublic(name, rec.publicKey);
    }
    const alias = this.d.hostKeyAlias(name);
    const pins = (await this.d.knownHosts.list(alias).catch(() => [])).map((p) => p.key);
    if (!samePins(pins, rec.pass.hostKeys)) await this.d.knownHosts.pin(alias, rec.pass.hostKeys);
    const written = this.d.config.upsert(this.d.entry(rec));
    await this.d.config.flush();
    await written;
    await this.tidy(name, rec);
    rec = (await this.d.store.get(name)) ?? rec;
    return rec;
  }

  private async publicKeyOf(f: {
    privateKeyPath?: string;
    publicKeyPath?: string;
  }): Promise<string | undefined> {
    const fromPrivate = f.privateKeyPath && (await this.d.keys.publicKeyIn(f.privateKeyPath));
    if (fromPrivate) return fromPrivate;
    const line = f.publicKeyPath && (await fs.readFile(f.publicKeyPath, 'utf8').catch(() => undefined));
    return line ? canonical(line) : undefined;
  }
}

/** What the sweep can see without reading a key: anything but exactly the recorded pair and pin. */
function needsHealing(
  rec: ConnectionRecord | undefined,
  files: NameFiles,
  pin: string[] | undefined,
): boolean {
  if (files.temps.length > 0 || files.legacy.privateKeyPath || files.legacy.publicKeyPath) return true;
  if (!rec) return files.keys.size > 0 || pin !== undefined;
  const mine = files.keys.get(keyId(rec.publicKey));
  if (files.keys.size !== 1 || !mine?.privateKeyPath || !mine.publicKeyPath) return true;
  return !samePins(pin ?? [], rec.pass.hostKeys);
}

function samePins(have: readonly string[], want: readonly string[]): boolean {
  const a = [...new Set(have.map(canonical))].sort();
  const b = [...new Set(want.map(canonical))].sort();
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
