import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRuncodeError } from '../errors.js';
import { createKey } from '../testing/createKey.js';
import { KeyStore, keyId } from './keyStore.js';

let state: string;
beforeEach(() => {
  state = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-keys-')), 'Application Support');
});
afterEach(() => fs.rmSync(path.dirname(state), { recursive: true, force: true }));

const mode = (p: string): number => fs.statSync(p).mode & 0o777;
const keygenY = (file: string): string => {
  const r = spawnSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim().split(' ').slice(0, 2).join(' ');
};
const canonical = (line: string): string => line.split(' ').slice(0, 2).join(' ');

describe('KeyStore', () => {
  it('creates a pair: private 0600 in a 0700 dir, accepted by ssh-keygen -y, .pub matching', async () => {
    const ks = new KeyStore(state);
    const old = process.umask(0); // even with no umask the private key is never group/world readable
    let k;
    try {
      k = await createKey(ks, 'api');
    } finally {
      process.umask(old);
    }
    // Named by the key: a record always names the key its pass was granted for.
    expect(k.privateKeyPath).toBe(path.join(state, 'keys', `api.${keyId(k.publicKey)}`));
    expect(keyId(k.publicKey)).toMatch(/^[0-9a-f]{16}$/);
    expect(mode(ks.dir)).toBe(0o700);
    expect(mode(k.privateKeyPath)).toBe(0o600);
    expect(mode(k.publicKeyPath)).toBe(0o644);
    expect(k.publicKey).toMatch(/^ssh-ed25519 AAAA[A-Za-z0-9+/]+=* runcode-api$/);
    expect(fs.readFileSync(k.publicKeyPath, 'utf8')).toBe(`${k.publicKey}\n`);
    expect(keygenY(k.privateKeyPath)).toBe(canonical(k.publicKey));
    const fp = spawnSync('ssh-keygen', ['-l', '-f', k.publicKeyPath], { encoding: 'utf8' }).stdout;
    expect(fp).toContain(k.fingerprint);
    expect(await ks.check('api', k.publicKey)).toEqual({
      ...ks.paths('api', k.publicKey),
      ok: true,
      problems: [],
    });
    const id = keyId(k.publicKey);
    expect(fs.readdirSync(ks.dir).sort()).toEqual([`api.${id}`, `api.${id}.pub`]);
  });

  it('create again writes a second pair beside the first; many keys all load in OpenSSH', async () => {
    const ks = new KeyStore(state);
    const a = await createKey(ks, 'api');
    const b = await createKey(ks, 'api');
    expect(b.publicKey).not.toBe(a.publicKey);
    expect(b.privateKeyPath).not.toBe(a.privateKeyPath);
    expect(keygenY(a.privateKeyPath)).toBe(canonical(a.publicKey));
    expect([...(await ks.scan()).get('api')!.keys.keys()].sort()).toEqual(
      [keyId(a.publicKey), keyId(b.publicKey)].sort(),
    );
    expect(keygenY(b.privateKeyPath)).toBe(canonical(b.publicKey));
    const names = Array.from({ length: 40 }, (_, i) => `ws-${i}`);
    const made = await Promise.all(names.map((n) => createKey(ks, n)));
    for (const k of made) expect(keygenY(k.privateKeyPath)).toBe(canonical(k.publicKey));
    expect(await ks.list()).toEqual(['api', ...names].sort());
  });

  it('tightens a loosened keys dir on create', async () => {
    const ks = new KeyStore(state);
    fs.mkdirSync(ks.dir, { recursive: true, mode: 0o755 });
    fs.chmodSync(ks.dir, 0o755);
    await createKey(ks, 'api');
    expect(mode(ks.dir)).toBe(0o700);
  });

  it('check reports bad modes, a key that does not load, a mismatched .pub, a missing key', async () => {
    const ks = new KeyStore(state);
    const { privateKeyPath, publicKeyPath, publicKey } = await createKey(ks, 'api');
    fs.chmodSync(privateKeyPath, 0o644);
    fs.chmodSync(ks.dir, 0o755);
    let c = await ks.check('api', publicKey);
    expect(c.ok).toBe(false);
    expect(c.problems.join('\n')).toMatch(/has mode 0644, not 0600/);
    expect(c.problems.join('\n')).toMatch(/has mode 0755, not 0700/);
    fs.chmodSync(privateKeyPath, 0o600);
    fs.chmodSync(ks.dir, 0o700);
    const other = await createKey(new KeyStore(path.join(state, 'other')), 'api');
    fs.copyFileSync(other.publicKeyPath, publicKeyPath);
    c = await ks.check('api', publicKey);
    expect(c.problems).toEqual([`${publicKeyPath} does not match its private key`]);
    fs.writeFileSync(
      privateKeyPath,
      '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n',
    );
    c = await ks.check('api', publicKey);
    expect(c.problems).toEqual([`${privateKeyPath} does not load as an ed25519 private key`]);
    expect(c.problems.join('')).not.toContain('AAAA');
    fs.copyFileSync(other.privateKeyPath, privateKeyPath);
    c = await ks.check('api', publicKey);
    expect(c.problems).toEqual([`${privateKeyPath} is not the key registered for api`]);
    await ks.remove('api', publicKey);
    c = await ks.check('api', publicKey);
    expect(c.problems).toEqual([`${privateKeyPath} does not exist`]);
  });

  it('remove and removeAll delete key files', async () => {
    const ks = new KeyStore(state);
    const a = await createKey(ks, 'a');
    const b = await createKey(ks, 'b');
    expect(await ks.remove('a', a.publicKey)).toBe(true);
    expect(await ks.remove('a', a.publicKey)).toBe(false);
    const id = keyId(b.publicKey);
    expect(fs.readdirSync(ks.dir).sort()).toEqual([`b.${id}`, `b.${id}.pub`]);
    fs.writeFileSync(path.join(ks.dir, `.b.${id}.runcode-tmp-abc123`), 'partial');
    fs.writeFileSync(path.join(ks.dir, 'b'), 'legacy');
    fs.writeFileSync(path.join(ks.dir, 'notes.txt'), 'not ours');
    const files = (await ks.scan()).get('b')!;
    expect([files.temps.length, files.legacy.privateKeyPath, files.keys.size]).toEqual([
      1,
      path.join(ks.dir, 'b'),
      1,
    ]);
    await ks.removeName('b');
    expect(fs.readdirSync(ks.dir)).toEqual(['notes.txt']);
    await ks.removeAll();
    expect(fs.existsSync(ks.dir)).toBe(false);
    expect(await ks.list()).toEqual([]);
  });

  it('refuses hostile names without touching the disk', async () => {
    const ks = new KeyStore(state);
    for (const bad of ['../x', 'a/b', '.', '', '-a', 'A', 'a b', 'a\n', 'é', '*', 'a'.repeat(64)]) {
      const e = await createKey(ks, bad).catch((err: unknown) => err);
      expect(isRuncodeError(e) && e.code).toBe('invalid_argument');
      expect(() => ks.paths(bad, 'ssh-ed25519 AAAA')).toThrow();
    }
    expect(fs.existsSync(state)).toBe(false);
  });
});
