import { afterEach, describe, expect, it } from 'vitest';
import { commandEnv } from './gatewayProcess.js';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('commandEnv', () => {
  it('takes HOME from RUNCODE_SERVER_HOME when it is an absolute path, else the server’s own', () => {
    process.env.HOME = '/home/owner';
    process.env.RUNCODE_SERVER_HOME = '/tmp/quiet-home';
    expect(commandEnv('/bin/bash', {}, {}).HOME).toBe('/tmp/quiet-home');
    process.env.RUNCODE_SERVER_HOME = 'relative/home';
    expect(commandEnv('/bin/bash', {}, {}).HOME).toBe('/home/owner');
    delete process.env.RUNCODE_SERVER_HOME;
    expect(commandEnv('/bin/bash', {}, {}).HOME).toBe('/home/owner');
  });

  it('passes on only its small base, never the rest of the server’s environment', () => {
    process.env.RUNCODE_TOKEN_LIKE = 'secret';
    const env = commandEnv('/bin/bash', { LANG: 'C.UTF-8' }, { TERM: 'xterm' });
    expect(env.RUNCODE_TOKEN_LIKE).toBeUndefined();
    expect(env).toMatchObject({ LANG: 'C.UTF-8', TERM: 'xterm', SHELL: '/bin/bash' });
  });
});
