import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { RuncodeError } from '../errors.js';
import { gw, useGatewayHost } from '../forwards/testing/useGatewayHost.js';
import { generateEd25519KeyPair } from './opensshKey.js';
import { connectSsh, mapSshError, pinnedHostKeyBlobs } from './sshConnection.js';

useGatewayHost();

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RuncodeError);
    return (e as RuncodeError).code;
  }
  throw new Error('expected a failure');
}

describe('connectSsh', () => {
  it('connects with a pinned host key and a registered key', async () => {
    const client = await connectSsh(await gw.newTarget());
    try {
      const out = await new Promise<string>((resolve, reject) => {
        client.exec('echo hi', (err, ch) => {
          if (err) return reject(err);
          let s = '';
          ch.on('data', (b: Buffer) => (s += b.toString()));
          ch.on('close', () => resolve(s));
        });
      });
      expect(out).toBe('hi\n');
    } finally {
      client.end();
    }
  });

  it('refuses a gateway whose host key is not pinned', async () => {
    const target = await gw.newTarget();
    const other = generateEd25519KeyPair().publicKey;
    expect(await codeOf(connectSsh({ ...target, hostKeys: [other] }))).toBe('host_key_mismatch');
  });

  it('cannot be built without pins: throws before any connection is made', async () => {
    let accepted = 0;
    const trap = net.createServer((s) => {
      accepted++;
      s.destroy();
    });
    await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
    try {
      const port = (trap.address() as net.AddressInfo).port;
      const target = { ...(await gw.newTarget()), port, hostKeys: [] };
      await expect(connectSsh(target)).rejects.toMatchObject({ code: 'host_key_missing' });
      expect(() => pinnedHostKeyBlobs(['ssh-rsa AAAA'])).toThrow(/not an ssh-ed25519/);
      await new Promise((r) => setTimeout(r, 50));
      expect(accepted).toBe(0);
    } finally {
      trap.close();
    }
  });

  it('maps a refused key to auth_refused', async () => {
    const target = await gw.newTarget();
    const stranger = generateEd25519KeyPair();
    expect(await codeOf(connectSsh({ ...target, privateKey: stranger.privateKey }))).toBe('auth_refused');
  });

  it('maps an expired pass to auth_refused with an actionable message', async () => {
    const target = await gw.newTarget(1);
    await new Promise((r) => setTimeout(r, 5));
    await connectSsh(target).then(
      () => expect.fail('connected with an expired pass'),
      (e: RuncodeError) => {
        expect(e.code).toBe('auth_refused');
        expect(e.message).toMatch(/pass may have expired; reconnect/);
      },
    );
  });

  it('maps a closed port to unreachable and a silent one to timeout', async () => {
    const target = await gw.newTarget();
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await codeOf(connectSsh({ ...target, port }))).toBe('unreachable');

    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const sport = (silent.address() as net.AddressInfo).port;
      expect(await codeOf(connectSsh({ ...target, port: sport }, { readyTimeoutMs: 300 }))).toBe('timeout');
    } finally {
      silent.close();
    }
  });

  it('can be cancelled', async () => {
    const ac = new AbortController();
    const p = connectSsh(await gw.newTarget(), { signal: ac.signal });
    ac.abort();
    expect(await codeOf(p)).toBe('cancelled');
  });

  it('maps unknown errors to ssh_failed', () => {
    expect(mapSshError(new Error('boom'), { host: 'h', port: 1 }).code).toBe('ssh_failed');
  });
});
