import { describe, expect, it } from 'vitest';
import type { HostEntry } from './hostEntry.js';
import { changedEntries, verificationSample } from './sshConfigVerify.js';
import { testHostEntry } from '../testing/hostEntry.js';

const entry = (name: string, port = 2222): HostEntry => testHostEntry(name, '/state', { port });

describe('the hosts checked after a write', () => {
  it('are the new and changed ones only', () => {
    const before = [entry('a'), entry('b'), entry('c')];
    const after = [entry('a'), entry('b', 2223), entry('d')];
    expect(changedEntries(before, after).map((e) => e.name)).toEqual(['b', 'd']);
  });

  it('are all of them up to four', () => {
    const few = ['a', 'b', 'c', 'd'].map((n) => entry(n));
    expect(verificationSample(few)).toEqual(few);
  });

  it('beyond four, are one of each kind: the characters and length class of their values, IP or name', () => {
    const many = Array.from({ length: 1000 }, (_, i) => entry(`w${i}`));
    expect(verificationSample(many).map((e) => e.name)).toEqual(['w0']);
    const odd = [
      ...many.slice(0, 3),
      { ...entry('pct'), identityFile: '/st%ate/keys/pct' },
      { ...entry('quote'), knownHostsFile: '/st"ate/known_hosts' },
      { ...entry('v6'), hostName: '::1' },
      { ...entry('dns'), hostName: 'gateway.example.com' },
      { ...entry('user'), user: 'first.last' },
      { ...entry('dash-name') },
      { ...entry('long'), identityFile: `/${'s'.repeat(300)}/keys/long` },
      ...many.slice(3),
    ];
    expect(verificationSample(odd).map((e) => e.name)).toEqual([
      'w0',
      'pct',
      'quote',
      'v6',
      'dns',
      'user',
      'dash-name',
      'long',
    ]);
  });

  it('are at most eight, however many kinds', () => {
    const kinds = [...'!#&()*+,:;<=>?@[]^_{|}~'].map((c, i) => ({
      ...entry(`k${i}`),
      identityFile: `/keys/k${c}`,
    }));
    expect(verificationSample(kinds)).toHaveLength(8);
  });
});
