import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOST_KEY_FILE, ensureHostKey } from './hostKey.js';
import { runProcess } from './testing/runProcess.js';

describe('ensureHostKey', () => {
  it('makes an ed25519 key once (0600, loadable by ssh-keygen) and returns the same one after', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-hk-'));
    try {
      const data = path.join(dir, 'data');
      const a = ensureHostKey(data);
      expect(a.publicKey).toMatch(/^ssh-ed25519 AAAA[A-Za-z0-9+/]+=*$/);
      const file = path.join(data, HOST_KEY_FILE);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const derived = await runProcess('ssh-keygen', ['-y', '-f', file]);
      expect(derived.code).toBe(0);
      expect(derived.stdout.trim().split(' ').slice(0, 2).join(' ')).toBe(a.publicKey);
      const b = ensureHostKey(data);
      expect(b).toEqual(a);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a damaged key file instead of silently replacing a pinned key', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-hk-'));
    try {
      fs.writeFileSync(path.join(dir, HOST_KEY_FILE), 'not a key', { mode: 0o600 });
      expect(() => ensureHostKey(dir)).toThrow(/host key .* is not a readable ed25519/);
      expect(fs.readFileSync(path.join(dir, HOST_KEY_FILE), 'utf8')).toBe('not a key');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
