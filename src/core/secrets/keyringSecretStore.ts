// The CLI's SecretStore: the OS keychain (macOS Keychain, Windows Credential Manager, the
// Secret Service or kernel keyring on Linux) through @napi-rs/keyring. The async entry runs
// off the main thread, so a slow or hung keychain daemon cannot freeze the event loop, and
// every call is bounded by a timeout.
import type { AsyncEntry } from '@napi-rs/keyring';
import { RuncodeError } from '../errors.js';
import type { SecretStore } from './secretStore.js';
import { checkSecretKey } from './secretStore.js';

export const KEYRING_SERVICE = 'runcode';

export class KeyringSecretStore implements SecretStore {
  readonly kind = 'keyring';

  constructor(
    private readonly service: string = KEYRING_SERVICE,
    private readonly timeoutMs = 10_000,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const value = await this.call('read', key, (e, signal) => e.getPassword(signal));
    return value ?? undefined;
  }

  async set(key: string, value: string): Promise<void> {
    await this.call('write', key, (e, signal) => e.setPassword(value, signal));
  }

  async delete(key: string): Promise<void> {
    await this.call('delete', key, (e, signal) => e.deletePassword(signal));
  }

  private async call<T>(
    op: string,
    key: string,
    fn: (e: AsyncEntry, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    checkSecretKey(key);
    try {
      // Loaded on first use: the native binding costs every `runcode` start ~10 ms, and a command
      // that needs no token (exec on a fresh pass, --help) should not pay it.
      const { AsyncEntry } = await import('@napi-rs/keyring');
      return await fn(new AsyncEntry(this.service, key), AbortSignal.timeout(this.timeoutMs));
    } catch (e) {
      // The library's message names the platform failure, never the secret.
      const reason = e instanceof Error ? e.message : String(e);
      throw new RuncodeError('secret_store', `cannot ${op} "${key}" in the OS keychain (${reason})`, {
        cause: e,
      });
    }
  }
}
