// Picks the CLI's SecretStore: the OS keychain if a full round trip works here, else the 0600
// file store with its warning. A probe, not a guess: a keyring library can load fine and still
// have no daemon to talk to (a headless Linux box), which only shows on first use.
import crypto from 'node:crypto';
import { FileSecretStore } from './fileSecretStore.js';
import { KeyringSecretStore } from './keyringSecretStore.js';
import type { SecretStore } from './secretStore.js';

const PROBE_KEY = 'probe';

/** Resolves undefined when the keychain works, else the reason it does not. */
export async function probeKeyring(
  store: KeyringSecretStore = new KeyringSecretStore(),
): Promise<string | undefined> {
  const nonce = crypto.randomBytes(8).toString('hex');
  try {
    await store.set(PROBE_KEY, nonce);
    const back = await store.get(PROBE_KEY);
    await store.delete(PROBE_KEY);
    return back === nonce ? undefined : 'the keychain did not give back what was stored';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export async function openCliSecretStore(
  stateDir: string,
  opts: { keyring?: KeyringSecretStore } = {},
): Promise<SecretStore> {
  const keyring = opts.keyring ?? new KeyringSecretStore();
  const reason = await probeKeyring(keyring);
  if (reason === undefined) return keyring;
  const store = new FileSecretStore(stateDir);
  store.fallbackReason = reason;
  return store;
}
