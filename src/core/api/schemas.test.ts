// The schemas must refuse the hostile (see hostileAnswers.test.ts) without refusing the valid:
// the edges of each rule, accepted.
import { describe, expect, it } from 'vitest';
import { sampleHostKey, sampleSshPass, sampleWorkspace } from '../testing/wireSamples.js';
import { formatPath, MAX_PASS_LIFETIME_MS, parseErrorBody, parseSshPass, parseWorkspace } from './schemas.js';

const now = new Date('2030-01-01T00:00:00Z');

describe('schemas accept valid edges', () => {
  it.each([
    ['name of one char', { name: 'a' }],
    ['name of 63 chars', { name: 'a' + 'b-'.repeat(31) }],
    ['name starting with a digit', { name: '9lives' }],
    ['workdir /', { workdir: '/' }],
    ['workdir with a space', { workdir: '/home/me/My Project' }],
    ['no ports', { ports: [] }],
    ['port without label', { ports: [{ port: 65535 }] }],
    ['updatedAt with offset', { updatedAt: '2025-01-02T03:04:05+02:00' }],
    ['id with dots', { id: 'ws.1_a-b' }],
  ])('workspace: %s', (_what, overrides) => {
    expect(parseWorkspace(sampleWorkspace(overrides))).toMatchObject(overrides);
  });

  it.each([
    ['IPv4', { gateway: { host: '10.0.0.1', port: 1 } }],
    ['IPv6', { gateway: { host: '2001:db8::1', port: 22 } }],
    ['hostname', { gateway: { host: 'gateway-1.runcode.dev', port: 443 } }],
    ['user with dot', { user: 'ws.api_1-x' }],
    ['eight host keys', { hostKeys: Array.from({ length: 8 }, sampleHostKey) }],
    ['expiry at the cap', { expiresAt: new Date(now.getTime() + MAX_PASS_LIFETIME_MS).toISOString() }],
  ])('pass: %s', (_what, overrides) => {
    expect(parseSshPass(sampleSshPass(now, overrides), now)).toBeTruthy();
  });

  it('drops unknown fields instead of passing them on', () => {
    expect(parseWorkspace({ ...sampleWorkspace(), proxyCommand: 'sh' })).not.toHaveProperty('proxyCommand');
  });

  it('reads the error body only in the protocol shape', () => {
    expect(parseErrorBody({ error: { code: 'not_found', message: 'gone' } })).toBeTruthy();
    expect(parseErrorBody({ error: 'gone' })).toBeUndefined();
  });

  it('formats paths as people read them', () => {
    expect(formatPath('', ['workspaces', 2, 'name'])).toBe('workspaces[2].name');
    expect(formatPath('sshPass', ['hostKeys', 0])).toBe('sshPass.hostKeys[0]');
    expect(formatPath('', [])).toBe('the answer');
  });
});
