import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRuncodeError } from '../errors.js';
import { KeyStore } from './keyStore.js';

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
      k = await ks.create('api');
    } finally {
      process.umask(old);
    }
    expect(k.privateKeyPath).toBe(path.join(state, 'keys', 'api'));
    expect(mode(ks.dir)).toBe(0o700);
    expect(mode(k.privateKeyPath)).toBe(0o600);
    expect(mode(k.publicKeyPath)).toBe(0o644);
    expect(k.publicKey).toMatch(/^ssh-ed25519 AAAA[A-Za-z0-9+/]+=* runcode-api$/);
    expect(fs.readFileSync(k.publicKeyPath, 'utf8')).toBe(`${k.publicKey}\n`);
    expect(keygenY(k.privateKeyPath)).toBe(canonical(k.publicKey));
    const fp = spawnSync('ssh-keygen', ['-l', '-f', k.publicKeyPath], { encoding: 'utf8' }).stdout;
    expect(fp).toContain(k.fingerprint);
    expect(await ks.check('api')).toEqual({ ...ks.paths('api'), ok: true, problems: [] });
    expect(fs.readdirSync(ks.dir).sort()).toEqual(['api', 'api.pub']);
  });

  it('create again replaces the pair; many keys all load in OpenSSH', async () => {
    const ks = new KeyStore(state);
    const a = await ks.create('api');
    const b = await ks.create('api');
    expect(b.publicKey).not.toBe(a.publicKey);
    expect(keygenY(b.privateKeyPath)).toBe(canonical(b.publicKey));
    const names = Array.from({ length: 40 }, (_, i) => `ws-${i}`);
    const made = await Promise.all(names.map((n) => ks.create(n)));
    for (const k of made) expect(keygenY(k.privateKeyPath)).toBe(canonical(k.publicKey));
    expect(await ks.list()).toEqual(['api', ...names].sort());
  });

  it('tightens a loosened keys dir on create', async () => {
    const ks = new KeyStore(state);
    fs.mkdirSync(ks.dir, { recursive: true, mode: 0o755 });
    fs.chmodSync(ks.dir, 0o755);
    await ks.create('api');
    expect(mode(ks.dir)).toBe(0o700);
  });

  it('check reports bad modes, a key that does not load, a mismatched .pub, a missing key', async () => {
    const ks = new KeyStore(state);
    const { privateKeyPath, publicKeyPath } = await ks.create('api');
    fs.chmodSync(privateKeyPath, 0o644);
    fs.chmodSync(ks.dir, 0o755);
    let c = await ks.check('api');
    expect(c.ok).toBe(false);
    expect(c.problems.join('\n')).toMatch(/has mode 0644, not 0600/);
    expect(c.problems.join('\n')).toMatch(/has mode 0755, not 0700/);
    fs.chmodSync(privateKeyPath, 0o600);
    fs.chmodSync(ks.dir, 0o700);
    const other = await new KeyStore(path.join(state, 'other')).create('api');
    fs.copyFileSync(other.publicKeyPath, publicKeyPath);
    c = await ks.check('api');
    expect(c.problems).toEqual([`${publicKeyPath} does not match its private key`]);
    fs.writeFileSync(
      privateKeyPath,
      '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n',
    );
    c = await ks.check('api');
    expect(c.problems).toEqual([`${privateKeyPath} does not load as an ed25519 private key`]);
    expect(c.problems.join('')).not.toContain('AAAA');
    await ks.remove('api');
    c = await ks.check('api');
    expect(c.problems).toEqual([`${privateKeyPath} does not exist`]);
  });

  it('remove and removeAll delete key files', async () => {
    const ks = new KeyStore(state);
    await ks.create('a');
    await ks.create('b');
    expect(await ks.remove('a')).toBe(true);
    expect(await ks.remove('a')).toBe(false);
    expect(fs.readdirSync(ks.dir)).toEqual(['b', 'b.pub']);
    await ks.removeAll();
    expect(fs.existsSync(ks.dir)).toBe(false);
    expect(await ks.list()).toEqual([]);
  });

  it('refuses hostile names without touching the disk', async () => {
    const ks = new KeyStore(state);
    for (const bad of ['../x', 'a/b', '.', '', '-a', 'A', 'a b', 'a\n', 'é', '*', 'a'.repeat(64)]) {
      const e = await ks.create(bad).catch((err: unknown) => err);
      expect(isRuncodeError(e) && e.code).toBe('invalid_name');
      expect(() => ks.paths(bad)).toThrow();
    }
    expect(fs.existsSync(state)).toBe(false);
  });
});
