// Where the sign-in token lives (DESIGN.md, "State on disk"): one interface, one implementation
// per runtime (the OS keychain for the CLI, safeStorage in Electron, memory in tests).

export interface SecretStore {
  /** Resolves undefined when nothing is stored under `key`. */
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** What backs it, for `doctor` and logs: 'keyring', 'file', 'memory', ... */
  readonly kind: string;
  /** Set when the store is weaker than an OS keychain; show it to the user. */
  readonly warning?: string;
}

/** Keys are short names such as `token`; they become file names and keychain account names. */
export function checkSecretKey(key: string): void {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(key) || key === '.' || key === '..') {
    throw new Error(`invalid secret key "${key.slice(0, 64)}"`);
  }
}
