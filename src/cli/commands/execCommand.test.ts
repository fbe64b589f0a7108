import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { exitCode, shellQuote } from './execCommand.js';

describe('shellQuote', () => {
  it.each([
    ['plain', 'plain'],
    ['a b', "'a b'"],
    ["it's", `'it'\\''s'`],
    ['$HOME', "'$HOME'"],
    ['', "''"],
    ['%s|', "'%s|'"],
    ['-n', '-n'],
  ])('%j -> %s', (arg, quoted) => expect(shellQuote(arg)).toBe(quoted));

  it('a real sh gets back exactly the words it was given', () => {
    const words = ['a b', "it's", '$(touch pwned)', '`x`', '"q"', '\\', '*', '', 'new\nline'];
    const out = execFileSync('sh', ['-c', `printf '%s\\0' ${words.map(shellQuote).join(' ')}`]);
    expect(out.toString().split('\0').slice(0, -1)).toEqual(words);
  });
});

describe('exitCode', () => {
  it('is the status, or 128 + the signal number', () => {
    expect(exitCode({ code: 0 })).toBe(0);
    expect(exitCode({ code: 3 })).toBe(3);
    expect(exitCode({ code: null, signal: 'SIGKILL' })).toBe(137);
    expect(exitCode({ code: null, signal: 'SIGTERM' })).toBe(143);
    expect(exitCode({ code: null, signal: 'SIGNOTREAL' })).toBe(128);
  });
});
