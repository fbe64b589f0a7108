import { describe, expect, it } from 'vitest';
import { isLocalEndpoint, localServerChecks } from './localServerChecks.js';

const machine = (sftpServer: string | undefined) => ({
  sftpServer: () => sftpServer,
  install: () => 'apt-get install openssh-sftp-server',
});

describe('local server checks', () => {
  it('apply to a loopback endpoint only', () => {
    expect(isLocalEndpoint('https://127.0.0.1:4443')).toBe(true);
    expect(isLocalEndpoint('https://[::1]:4443')).toBe(true);
    expect(isLocalEndpoint('https://localhost')).toBe(true);
    expect(isLocalEndpoint('https://runcode.example.com')).toBe(false);
    expect(isLocalEndpoint(undefined)).toBe(false);
    expect(localServerChecks('https://runcode.example.com', machine(undefined))).toEqual([]);
  });

  it('say what the local server is, and that file transfer needs sftp-server, with the install command', () => {
    const [what, sftp] = localServerChecks('https://127.0.0.1:4443', machine(undefined));
    expect(what).toMatchObject({ id: 'local-server', ok: true });
    expect(what!.detail).toMatch(/run as you.*not isolated/);
    expect(sftp).toMatchObject({ id: 'local-sftp', ok: false, fix: 'apt-get install openssh-sftp-server' });
    const [, found] = localServerChecks('https://127.0.0.1:4443', machine('/usr/lib/openssh/sftp-server'));
    expect(found).toMatchObject({ ok: true, detail: '/usr/lib/openssh/sftp-server' });
    expect(found!.fix).toBeUndefined();
  });
});
