import { describe, expect, it } from 'vitest';
import { chooseEndpoint } from './commands/loginCommand.js';
import { UsageError } from './defineCommand.js';
import { closest, editDistance } from './didYouMean.js';
import { escapeControls, shown } from './displayText.js';
import { secondsFlag, wholeNumberFlag } from './numericFlag.js';

describe('did you mean', () => {
  const commands = [
    'login',
    'list',
    'connect',
    'config-ssh',
    'exec',
    'put',
    'get',
    'port-forward',
    'stop',
    'start',
  ];
  it.each([
    ['conect', 'connect'],
    ['lsit', 'list'],
    ['port-foward', 'port-forward'],
    ['conn', 'connect'],
    ['stat', 'start'],
    ['configssh', 'config-ssh'],
  ])('%s -> %s', (typo, want) => expect(closest(typo, commands)).toBe(want));
  it.each(['deploy', 'x', 'a'.repeat(5000)])('%s -> nothing', (word) =>
    expect(closest(word, commands)).toBeUndefined(),
  );
  it('edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('shown text', () => {
  it('escapes terminal control and disguising characters', () => {
    expect(escapeControls('a\u001b[31mred\u0007\nx\u202eevil\u009b')).toBe(
      'a\\x1b[31mred\\x07\\nx\\u202eevil\\x9b',
    );
    expect(escapeControls('plain text, ünïcode ok')).toBe('plain text, ünïcode ok');
  });
  it('cuts long text and says how long it was', () => {
    expect(shown('a'.repeat(5000))).toBe(`${'a'.repeat(60)}… (5000 characters)`);
    expect(shown('short')).toBe('short');
    // Cut first, then escaped: an escape is never split in half.
    expect(shown('\u001b'.repeat(100), 2)).toBe('\\x1b\\x1b… (100 characters)');
  });
});

describe('numeric flags', () => {
  it('takes seconds, defaults when absent', () => {
    expect(secondsFlag('timeout', undefined, { fallback: 180 })).toBe(180_000);
    expect(secondsFlag('timeout', '30', { fallback: 180 })).toBe(30_000);
    expect(secondsFlag('timeout', '1.5', { fallback: 180 })).toBe(1_500);
  });
  it.each(['abc', '', '-5', '0', '3601', '1e3', '0x10', ' 5', '5s', 'NaN', 'Infinity'])(
    '%j is a usage error',
    (v) => expect(() => secondsFlag('timeout', v, { fallback: 180 })).toThrow(UsageError),
  );
});

describe('whole-number flags', () => {
  it('takes plain digits in range, defaults when absent', () => {
    expect(wholeNumberFlag('lines', undefined, { fallback: 50 })).toBe(50);
    expect(wholeNumberFlag('lines', '0', { fallback: 50 })).toBe(0);
    expect(wholeNumberFlag('lines', '200', { fallback: 50 })).toBe(200);
  });
  it.each(['', 'abc', '-1', '1.5', '1e3', '0x10', ' 5', '99999999999'])('%j is a usage error', (v) =>
    expect(() => wholeNumberFlag('lines', v, { fallback: 50 })).toThrow(UsageError),
  );
});

describe('login endpoint', () => {
  const saved = { endpoint: 'https://saved.example', caFile: '/saved/ca.pem' };
  const env = { RUNCODE_ENDPOINT: 'https://env.example', RUNCODE_CA: '/env/ca.pem' };
  it('--endpoint, else saved, else $RUNCODE_ENDPOINT, else the build default', () => {
    expect(chooseEndpoint({ endpoint: 'https://flag.example' }, saved, env)).toEqual({
      endpoint: 'https://flag.example',
    });
    expect(chooseEndpoint({}, saved, env)).toEqual(saved);
    expect(chooseEndpoint({}, undefined, env)).toEqual({
      endpoint: 'https://env.example',
      caFile: '/env/ca.pem',
    });
    expect(chooseEndpoint({}, undefined, {}, 'https://built.example')).toEqual({
      endpoint: 'https://built.example',
    });
    expect(chooseEndpoint({ ca: '/flag/ca.pem' }, saved, env)).toEqual({
      endpoint: saved.endpoint,
      caFile: '/flag/ca.pem',
    });
  });
  it('with none of them: says how to pass --endpoint', () => {
    expect(() => chooseEndpoint({}, undefined, {}, undefined)).toThrow(/pass --endpoint https:/);
  });
});
