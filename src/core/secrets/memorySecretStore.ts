// A SecretStore in memory, for tests and for a session that must not persist anything.
import type { SecretStore } from './secretStore.js';
import { checkSecretKey } from './secretStore.js';

export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory';
  private readonly values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    checkSecretKey(key);
    return this.values.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    checkSecretKey(key);
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    checkSecretKey(key);
    this.values.delete(key);
  }
}
