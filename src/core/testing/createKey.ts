// A fresh key pair saved in a KeyStore, for tests. Production never needs it: connect makes its
// pair first (to send the public key), then saves it with KeyStore.save.
import { isWorkspaceName } from '../ssh/sshValues.js';
import type { CreatedKey, KeyStore } from '../keys/keyStore.js';
import { generateEd25519KeyPair } from '../ssh/opensshKey.js';

/** Generates an ed25519 pair for `name` and saves it; a bad name is refused (`invalid_argument`) by save. */
export async function createKey(store: KeyStore, name: string): Promise<CreatedKey> {
  // No comment from a bad name (it may not be printable): save refuses the name before any write.
  const pair = generateEd25519KeyPair(isWorkspaceName(name) ? `runcode-${name}` : '');
  return store.save(name, pair);
}
