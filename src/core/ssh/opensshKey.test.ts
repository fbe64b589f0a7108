import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint, generateEd25519KeyPair, parseEd25519PublicKey } from './opensshKey.js';

describe('generateEd25519KeyPair', () => {
  // 2,000 ssh-keygen runs: about 20 s idle, minutes on a loaded 2-core machine, hence the room.
  it('makes keys that OpenSSH loads, every one of thousands', { timeout: 600_000 }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-keys-'));
    try {
      const count = Number(process.env.RUNCODE_KEYGEN_COUNT ?? 2000);
      // Write them all, then ask ssh-keygen about each in one shell loop (a spawn per key from
      // Node would be the slow part). Every private key must give back exactly our public key.
      const expected: string[] = [];
      for (let i = 0; i < count; i++) {
        const k = generateEd25519KeyPair(`k${i}`);
        const file = path.join(dir, `k${i}`);
        fs.writeFileSync(file, k.privateKey, { mode: 0o600 });
        expected.push(k.publicKey.split(' ').slice(0, 2).join(' '));
      }
      const out = execFileSync(
        'sh',
        ['-c', `i=0; while [ $i -lt ${count} ]; do ssh-keygen -y -f "$0/k$i" || echo FAIL $i; i=$((i+1)); done`, dir],
        { encoding: 'utf8', maxBuffer: 64 << 20 },
      );
      const got = out.trim().split('\n').map((l) => l.split(' ').slice(0, 2).join(' '));
      expect(got.length).toBe(count);
      const bad = got.filter((g, i) => g !== expected[i]);
      expect(bad).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('matches ssh-keygen -l on the fingerprint', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-fp-'));
    try {
      const k = generateEd25519KeyPair('x');
      fs.writeFileSync(path.join(dir, 'k.pub'), k.publicKey + '\n');
      const out = execFileSync('ssh-keygen', ['-l', '-f', path.join(dir, 'k.pub')], { encoding: 'utf8' });
      expect(out.split(' ')[1]).toBe(fingerprint(k.publicBlob));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a comment that could break a line', () => {
    expect(() => generateEd25519KeyPair('a\nb')).toThrow();
  });
});

describe('parseEd25519PublicKey', () => {
  const good = generateEd25519KeyPair().publicKey;
  it('accepts a real key, with or without a comment', () => {
    expect(parseEd25519PublicKey(good)?.line).toBe(good);
    expect(parseEd25519PublicKey(`${good} me@host`)?.line).toBe(good);
  });
  it.each([
    ['not a string', 42],
    ['rsa', 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ'],
    ['truncated', 'ssh-ed25519 AAAAnotakey'],
    ['non-canonical base64', good.replace(/=*$/, '') + '=='],
    ['newline in comment', `${good} a\nHost *`],
    ['type mismatch inside the blob', 'ssh-ed25519 ' + Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25518'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32)]).toString('base64')],
    ['trailing bytes', 'ssh-ed25519 ' + Buffer.concat([Buffer.from(good.split(' ')[1]!, 'base64'), Buffer.from([0])]).toString('base64')],
    ['oversize', 'ssh-ed25519 ' + 'A'.repeat(5000)],
  ])('refuses %s', (_name, input) => {
    expect(parseEd25519PublicKey(input)).toBeUndefined();
  });
});
