// The fallback SecretStore where no OS keychain works (a headless Linux box, a container):
// one 0600 file per key in a 0700 directory of the state dir, written atomically. Never silent:
// `warning` says so, and the CLI prints it (DESIGN.md: "never plaintext silently").
import fs from 'node:fs/promises';
import path from 'node:path';
import { RuncodeError } from '../errors.js';
import { atomicWrite } from '../fs/atomicWrite.js';
import type { SecretStore } from './secretStore.js';
import { checkSecretKey } from './secretStore.js';

export const FILE_STORE_WARNING = 'no OS keychain here; the token is stored in a file readable only by you';

export class FileSecretStore implements SecretStore {
  readonly kind = 'file';
  readonly warning: string;
  /** Why the OS keychain was not used, when this store is a fallback (for `doctor`). */
  fallbackReason?: string;
  /** `<stateDir>/secrets`. */
  readonly dir: string;

  constructor(stateDir: string, warning: string = FILE_STORE_WARNING) {
    this.dir = path.join(stateDir, 'secrets');
    this.warning = warning;
  }

  /** The file that holds `key`, for the user to inspect or delete. */
  pathOf(key: string): string {
    checkSecretKey(key);
    return path.join(this.dir, key);
  }

  async get(key: string): Promise<string | undefined> {
    const file = this.pathOf(key);
    try {
      const st = await fs.stat(file);
      // Someone loosened the file: tighten it rather than keep serving a readable secret.
      if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) await fs.chmod(file, 0o600);
      return await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw this.ioError('read', file, e);
    }
  }

  async set(key: string, value: string): Promise<void> {
    const file = this.pathOf(key);
    try {
      await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
      await fs.chmod(this.dir, 0o700);
      await atomicWrite(file, value, { mode: 0o600, keepMode: false });
    } catch (e) {
      throw this.ioError('write', file, e);
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    try {
      await fs.rm(file, { force: true });
    } catch (e) {
      throw this.ioError('delete', file, e);
    }
  }

  private ioError(op: string, file: string, e: unknown): RuncodeError {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    return new RuncodeError('secret_store', `cannot ${op} the saved sign-in at "${file}" (${code})`, {
      cause: e,
    });
  }
}
