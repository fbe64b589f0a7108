// The stand-in's safeStorage (host.safeStorageBackend switches the backend main sees).
import { host } from './record.mjs';

/** Reversible, and tagged so a test can tell it from plaintext; `basic_text` is switchable. */
export const safeStorage = {
  backend: () => host.safeStorageBackend ?? 'gnome_libsecret',
  isEncryptionAvailable: () => true,
  isAsyncEncryptionAvailable: async () => true,
  getSelectedStorageBackend() {
    return this.backend();
  },
  encryptString: (s) => Buffer.concat([Buffer.from('standin:'), Buffer.from(s).map((b) => b ^ 0x5a)]),
  decryptString(buf) {
    if (!buf.subarray(0, 8).equals(Buffer.from('standin:'))) throw new Error('Error while decrypting');
    return Buffer.from(buf.subarray(8))
      .map((b) => b ^ 0x5a)
      .toString();
  },
  async encryptStringAsync(s) {
    return this.encryptString(s);
  },
  async decryptStringAsync(buf) {
    return { result: this.decryptString(buf), shouldReEncrypt: false };
  },
};
