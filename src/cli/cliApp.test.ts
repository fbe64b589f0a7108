import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stateDir } from '../core/paths.js';
import { KEYRING_SERVICE } from '../core/secrets/keyringSecretStore.js';
import { keyringService } from './cliApp.js';

describe('keyringService', () => {
  it('is the plain service for the default state dir, and one of its own for any other', () => {
    expect(keyringService(stateDir({}))).toBe(KEYRING_SERVICE);
    expect(keyringService('/a/state', '/a/state/')).toBe(KEYRING_SERVICE);
    const a = keyringService('/tmp/x/state');
    const b = keyringService('/tmp/y/state');
    expect(a).toMatch(/^runcode-[0-9a-f]{16}$/);
    expect(b).toMatch(/^runcode-[0-9a-f]{16}$/);
    expect(a).not.toBe(b);
    expect(keyringService(path.join('/tmp/x', '.', 'state'))).toBe(a);
  });
});
