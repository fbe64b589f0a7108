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

  it('are all of them up to four, else the first two and the last two', () => {
    const few = ['a', 'b', 'c'].map((n) => entry(n));
    expect(verificationSample(few)).toEqual(few);
    const many = Array.from({ length: 1000 }, (_, i) => entry(`w${i}`));
    expect(verificationSample(many).map((e) => e.name)).toEqual(['w0', 'w1', 'w998', 'w999']);
  });
});
