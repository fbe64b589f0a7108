import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SafeStorageLike } from './safeStorageSecretStore.js';
import { NO_KEYRING_WARNING, SECRETS_FILE, SafeStorageSecretStore } from './safeStorageSecretStore.js';

/** A stand-in for safeStorage: a keyed XOR "cipher" with a version byte, so rotation can be shown. */
class FakeSafeStorage implements SafeStorageLike {
  available = true;
  backend = 'gnome_libsecret';
  keyVersion = 1;
  encrypts = 0;
  failDecrypt = false;

  async isAsyncEncryptionAvailable() {
    return this.available;
  }
  getSelectedStorageBackend() {
    return this.backend;
  }
  async encryptStringAsync(plain: string) {
    this.encrypts++;
    const body = Buffer.from(plain, 'utf8').map((b) => b ^ (0x5a + this.keyVersion));
    return Buffer.concat([Buffer.from([this.keyVersion]), body]);
  }
  async decryptStringAsync(enc: Buffer) {
    if (this.failDecrypt)
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    const version = enc[0]!;
    const plain = Buffer.from(enc.subarray(1).map((b) => b ^ (0x5a + version))).toString('utf8');
    return { result: plain, shouldReEncrypt: version !== this.keyVersion };
  }
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-safestorage-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const open = (safeStorage: SafeStorageLike, platform: NodeJS.Platform = 'linux', log?: (l: string) => void) =>
  SafeStorageSecretStore.open({ stateDir: dir, safeStorage, platform, ...(log ? { log } : {}) });

describe('SafeStorageSecretStore', () => {
  it('round-trips through an encrypted 0600 file with no plaintext in it', async () => {
    const ss = new FakeSafeStorage();
    const store = await open(ss);
    expect(store.kind).toBe('safeStorage:gnome_libsecret');
    expect(store.warning).toBeUndefined();
    expect(await store.get('token')).toBeUndefined();
    await store.set('token', 'rc_secret-token-value');
    const file = path.join(dir, SECRETS_FILE);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('rc_secret-token-value');
    expect(text).not.toContain(Buffer.from('rc_secret-token-value').toString('base64'));
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await store.get('token')).toBe('rc_secret-token-value');
    // A second store (the next launch) reads it back.
    expect(await (await open(ss)).get('token')).toBe('rc_secret-token-value');
  });

  it('keeps other keys when one is set or deleted; deleting a missing key is fine', async () => {
    const store = await open(new FakeSafeStorage());
    await store.set('token', 'a');
    await store.set('other', 'b');
    await store.delete('token');
    await store.delete('token');
    await store.delete('never-set');
    expect(await store.get('token')).toBeUndefined();
    expect(await store.get('other')).toBe('b');
  });

  it('serializes concurrent writes (none is lost)', async () => {
    const store = await open(new FakeSafeStorage());
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`k${i}`, `v${i}`)));
    for (let i = 0; i < 20; i++) expect(await store.get(`k${i}`)).toBe(`v${i}`);
  });

  it('basic_text (Linux without a keyring): memory only, with the warning, nothing on disk', async () => {
    const ss = new FakeSafeStorage();
    ss.backend = 'basic_text';
    const store = await open(ss);
    expect(store.kind).toBe('memory');
    expect(store.warning).toBe(NO_KEYRING_WARNING);
    await store.set('token', 'in-memory-only');
    expect(await store.get('token')).toBe('in-memory-only');
    expect(ss.encrypts).toBe(0);
    expect(fs.readdirSync(dir)).toEqual([]);
    // "After restarting": a new store has nothing.
    expect(await (await open(ss)).get('token')).toBeUndefined();
    await store.delete('token');
    expect(await store.get('token')).toBeUndefined();
  });

  it('encryption unavailable (or the check throwing): memory only, with the warning', async () => {
    const ss = new FakeSafeStorage();
    ss.available = false;
    const store = await open(ss, 'win32');
    expect(store.kind).toBe('memory');
    expect(store.warning).toMatch(/sign in again after restarting/);

    const throwing = new FakeSafeStorage();
    throwing.isAsyncEncryptionAvailable = async () => {
      throw new Error('no session bus');
    };
    const lines: string[] = [];
    const s2 = await open(throwing, 'linux', (l) => lines.push(l));
    expect(s2.kind).toBe('memory');
    expect(lines.join('\n')).toMatch(/no session bus/);
  });

  it('asks for the backend on Linux only', async () => {
    const ss = new FakeSafeStorage();
    ss.backend = 'basic_text'; // would be ignored anywhere else: there is no such backend there
    const mac = await open(ss, 'darwin');
    expect(mac.kind).toBe('safeStorage');
    expect(mac.warning).toBeUndefined();
  });

  it('a value that cannot be decrypted reads as signed out, and set() replaces it', async () => {
    const ss = new FakeSafeStorage();
    const lines: string[] = [];
    const store = await open(ss, 'linux', (l) => lines.push(l));
    await store.set('token', 'old');
    ss.failDecrypt = true;
    expect(await store.get('token')).toBeUndefined();
    expect(lines.join('\n')).toMatch(/cannot decrypt the saved token/);
    expect(lines.join('\n')).not.toContain('old');
    ss.failDecrypt = false;
    await store.set('token', 'new');
    expect(await store.get('token')).toBe('new');
  });

  it('re-encrypts when safeStorage says the key rotated', async () => {
    const ss = new FakeSafeStorage();
    const store = await open(ss);
    await store.set('token', 'rotating');
    const before = fs.readFileSync(path.join(dir, SECRETS_FILE), 'utf8');
    ss.keyVersion = 2;
    expect(await store.get('token')).toBe('rotating');
    const after = fs.readFileSync(path.join(dir, SECRETS_FILE), 'utf8');
    expect(after).not.toBe(before);
    expect(await store.get('token')).toBe('rotating');
  });

  it('reports a damaged file instead of overwriting it', async () => {
    const store = await open(new FakeSafeStorage());
    fs.writeFileSync(path.join(dir, SECRETS_FILE), '{not json');
    await expect(store.get('token')).rejects.toMatchObject({ code: 'state_corrupt' });
    await expect(store.set('token', 'x')).rejects.toMatchObject({ code: 'state_corrupt' });
    expect(fs.readFileSync(path.join(dir, SECRETS_FILE), 'utf8')).toBe('{not json');
  });

  it('rejects key names that could escape (same rule as every SecretStore)', async () => {
    const store = await open(new FakeSafeStorage());
    await expect(store.set('../x', 'v')).rejects.toThrow(/invalid secret key/);
    const mem = await open(Object.assign(new FakeSafeStorage(), { backend: 'basic_text' }));
    await expect(mem.get('a/b')).rejects.toThrow(/invalid secret key/);
  });
});
