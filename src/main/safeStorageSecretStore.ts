// The tray's SecretStore (DESIGN.md, "State on disk"): values encrypted with Electron's
// safeStorage (macOS Keychain, Windows DPAPI, libsecret/kwallet on Linux), the ciphertext kept in
// one 0600 file in the state dir. Linux without a keyring makes safeStorage fall back to
// `basic_text`, a key hard-coded in Chromium: that is plaintext with extra steps, so there the
// token lives in memory only and `warning` says so. Electron-free (safeStorage is injected), so
// it is unit-tested with a fake.
import fs from 'node:fs/promises';
import path from 'node:path';
import { RuncodeError } from '../core/errors.js';
import { atomicWrite } from '../core/fs/atomicWrite.js';
import type { SecretStore } from '../core/secrets/secretStore.js';
import { checkSecretKey } from '../core/secrets/secretStore.js';

/** The part of Electron's `safeStorage` used here (the async API; the sync one is deprecated in 45). */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  /** Linux only. */
  getSelectedStorageBackend?(): string;
}

export const SECRETS_FILE = 'secrets.safestorage.json';
export const NO_KEYRING_WARNING = 'no keyring: you will need to sign in again after restarting';

const fileSchemaVersion = 1;
interface SecretsFile {
  version: typeof fileSchemaVersion;
  /** key -> base64 ciphertext */
  values: Record<string, string>;
}

export interface SafeStorageSecretStoreOptions {
  stateDir: string;
  safeStorage: SafeStorageLike;
  platform?: NodeJS.Platform;
  /** Reports a value that could not be decrypted (the keychain entry was reset, another user). */
  log?: (line: string) => void;
}

export class SafeStorageSecretStore implements SecretStore {
  readonly kind: string;
  readonly warning?: string;
  readonly file: string;
  private readonly memory = new Map<string, string>();
  /** Writes are serialized so two quick sets cannot interleave their read-modify-write. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly o: SafeStorageSecretStoreOptions,
    private readonly persistent: boolean,
    backend: string | undefined,
  ) {
    this.file = path.join(o.stateDir, SECRETS_FILE);
    this.kind = persistent ? `safeStorage${backend ? `:${backend}` : ''}` : 'memory';
    if (!persistent) this.warning = NO_KEYRING_WARNING;
  }

  /** Decides once, after app ready, whether values may go to disk. */
  static async open(o: SafeStorageSecretStoreOptions): Promise<SafeStorageSecretStore> {
    const platform = o.platform ?? process.platform;
    const backend = platform === 'linux' ? o.safeStorage.getSelectedStorageBackend?.() : undefined;
    let available = false;
    try {
      available = await o.safeStorage.isAsyncEncryptionAvailable();
    } catch (e) {
      o.log?.(`safeStorage unavailable: ${e instanceof Error ? e.message : String(e)}`);
    }
    // `basic_text` reports "available" but encrypts with a constant key; `unknown` means asked too early.
    const persistent = available && backend !== 'basic_text' && backend !== 'unknown';
    return new SafeStorageSecretStore(o, persistent, backend);
  }

  async get(key: string): Promise<string | undefined> {
    checkSecretKey(key);
    if (!this.persistent) return this.memory.get(key);
    const blob = (await this.read()).values[key];
    if (blob === undefined) return undefined;
    let out: { result: string; shouldReEncrypt: boolean };
    try {
      out = await this.o.safeStorage.decryptStringAsync(Buffer.from(blob, 'base64'));
    } catch (e) {
      // Unreadable is "signed out", not a crash: the user signs in again and set() overwrites it.
      this.o.log?.(`cannot decrypt the saved ${key}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    // The OS rotated the key (or a stronger one became available): store it under the new one.
    if (out.shouldReEncrypt) await this.set(key, out.result).catch(() => undefined);
    return out.result;
  }

  async set(key: string, value: string): Promise<void> {
    checkSecretKey(key);
    if (!this.persistent) {
      this.memory.set(key, value);
      return;
    }
    const blob = (await this.o.safeStorage.encryptStringAsync(value)).toString('base64');
    await this.update((values) => ({ ...values, [key]: blob }));
  }

  async delete(key: string): Promise<void> {
    checkSecretKey(key);
    this.memory.delete(key);
    if (!this.persistent) return;
    await this.update((values) => {
      const next = { ...values };
      delete next[key];
      return next;
    });
  }

  private async read(): Promise<SecretsFile> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: fileSchemaVersion, values: {} };
      throw new RuncodeError('secret_store', `cannot read the saved sign-in at "${this.file}"`, { cause: e });
    }
    try {
      const json = JSON.parse(text) as Partial<SecretsFile>;
      const values = json.values;
      if (json.version !== fileSchemaVersion || typeof values !== 'object' || values === null)
        throw new Error();
      const clean: Record<string, string> = {};
      for (const [k, v] of Object.entries(values)) if (typeof v === 'string') clean[k] = v;
      return { version: fileSchemaVersion, values: clean };
    } catch {
      throw new RuncodeError('state_corrupt', `${this.file} is damaged; delete it and sign in again`);
    }
  }

  private update(fn: (values: Record<string, string>) => Record<string, string>): Promise<void> {
    const run = async () => {
      const cur = await this.read();
      const next: SecretsFile = { version: fileSchemaVersion, values: fn(cur.values) };
      await fs.mkdir(this.o.stateDir, { recursive: true, mode: 0o700 });
      await atomicWrite(this.file, `${JSON.stringify(next)}\n`, { mode: 0o600, keepMode: false });
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }
}
