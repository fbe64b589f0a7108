// The SecretStores for real: the file store on disk (modes, atomic replace), the CLI's choice
// between keychain and file, and the keychain itself where this machine has one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FILE_STORE_WARNING, FileSecretStore } from './fileSecretStore.js';
import { KeyringSecretStore } from './keyringSecretStore.js';
import { MemorySecretStore } from './memorySecretStore.js';
import { openCliSecretStore, probeKeyring } from './openCliSecretStore.js';
import type { SecretStore } from './secretStore.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc secrets '));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function roundTrip(store: SecretStore): Promise<void> {
  expect(await store.get('token')).toBeUndefined();
  await store.set('token', 'first');
  await store.set('token', 'second value with spaces');
  expect(await store.get('token')).toBe('second value with spaces');
  await store.delete('token');
  expect(await store.get('token')).toBeUndefined();
  await store.delete('token'); // deleting nothing is fine
  await expect(store.set('../escape', 'x')).rejects.toThrow(/invalid secret key/);
}

describe('MemorySecretStore', () => {
  it('stores, replaces and deletes', async () => {
    await roundTrip(new MemorySecretStore());
  });
});

describe('FileSecretStore', () => {
  it('stores, replaces and deletes, in a path with spaces', async () => {
    const store = new FileSecretStore(path.join(dir, 'state dir'));
    await roundTrip(store);
    expect(store.warning).toBe(FILE_STORE_WARNING);
  });

  it('writes a 0600 file in a 0700 directory, atomically, with no temp left', async () => {
    const store = new FileSecretStore(dir);
    await store.set('token', 'secret-1');
    const file = store.pathOf('token');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(store.dir).mode & 0o777).toBe(0o700);
    const inode = fs.statSync(file).ino;
    await store.set('token', 'secret-2');
    expect(fs.statSync(file).ino).not.toBe(inode); // replaced by rename, not rewritten in place
    expect(fs.readdirSync(store.dir)).toEqual(['token']);
    expect(fs.readFileSync(file, 'utf8')).toBe('secret-2');
  });

  it('tightens a file someone made readable to others', async () => {
    const store = new FileSecretStore(dir);
    await store.set('token', 'secret');
    fs.chmodSync(store.pathOf('token'), 0o644);
    expect(await store.get('token')).toBe('secret');
    expect(fs.statSync(store.pathOf('token')).mode & 0o777).toBe(0o600);
  });

  it('gives a clear error naming the file when it cannot write', async () => {
    if (process.getuid?.() === 0) {
      // root ignores directory permissions; make the state dir a file instead.
      fs.writeFileSync(path.join(dir, 'blocked'), '');
    } else {
      fs.mkdirSync(path.join(dir, 'blocked'), { mode: 0o500 });
    }
    const store = new FileSecretStore(path.join(dir, 'blocked'));
    await expect(store.set('token', 'x')).rejects.toMatchObject({
      code: 'secret_store',
      message: expect.stringContaining(path.join(dir, 'blocked', 'secrets', 'token')),
    });
  });
});

const keyringReason = await probeKeyring();
if (keyringReason) {
  console.warn(`OS keychain unavailable on this machine (${keyringReason}): testing the file fallback only`);
}

describe('openCliSecretStore', () => {
  it.runIf(keyringReason !== undefined)(
    'falls back to the 0600 file store, with the warning and the reason',
    async () => {
      const store = await openCliSecretStore(dir);
      expect(store.kind).toBe('file');
      expect(store.warning).toBe(FILE_STORE_WARNING);
      expect((store as FileSecretStore).fallbackReason).toBe(keyringReason);
      await store.set('token', 'abc');
      expect(fs.statSync(path.join(dir, 'secrets', 'token')).mode & 0o777).toBe(0o600);
    },
  );

  it('uses the OS keychain when it works', async ({ skip }) => {
    skip(keyringReason !== undefined, `OS keychain unavailable: ${keyringReason}`);
    const store = await openCliSecretStore(dir);
    expect(store.kind).toBe('keyring');
    expect(store.warning).toBeUndefined();
    expect(fs.existsSync(path.join(dir, 'secrets'))).toBe(false);
  });

  it('KeyringSecretStore round-trips under a test service name', async ({ skip }) => {
    skip(keyringReason !== undefined, `OS keychain unavailable: ${keyringReason}`);
    await roundTrip(new KeyringSecretStore(`runcode-test-${process.pid}`));
  });

  it('falls back when the keychain fails, whatever this machine has', async () => {
    const broken = new KeyringSecretStore();
    broken.set = async () => {
      throw new Error('no daemon');
    };
    const store = await openCliSecretStore(dir, { keyring: broken });
    expect([store.kind, store.warning, (store as FileSecretStore).fallbackReason]).toEqual([
      'file',
      FILE_STORE_WARNING,
      'no daemon',
    ]);
  });
});
