import { describe, expect, it } from 'vitest';
import { UsageError } from '../defineCommand.js';
import { parsePortSpec } from './portForwardCommand.js';

describe('parsePortSpec', () => {
  it('takes PORT and PORT:LOCAL', () => {
    expect(parsePortSpec('api', '8080')).toEqual({ workspace: 'api', remotePort: 8080 });
    expect(parsePortSpec('api', '3000:13000')).toEqual({
      workspace: 'api',
      remotePort: 3000,
      localPort: 13000,
    });
    expect(parsePortSpec('api', '65535:1')).toEqual({ workspace: 'api', remotePort: 65535, localPort: 1 });
  });

  it.each([
    '',
    '0',
    '65536',
    '80:0',
    '80:',
    ':80',
    '80:90:100',
    'http',
    '8080 ',
    '-1',
    '1e3',
    '0x50',
    '123456',
  ])('refuses %j as a usage error', (spec) => {
    expect(() => parsePortSpec('api', spec)).toThrow(UsageError);
  });
});
