import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { listenLoopback, listenOnFreePort } from './portPicker.js';

async function occupied(): Promise<{ port: number; close(): void }> {
  const s = net.createServer();
  const port = await listenLoopback(s, 0);
  return { port, close: () => s.close() };
}

describe('portPicker', () => {
  it('listens on the wanted port when it is free, on 127.0.0.1 only', async () => {
    const probe = await occupied();
    probe.close();
    const s = net.createServer();
    try {
      expect(await listenOnFreePort(s, probe.port)).toEqual({ port: probe.port });
      expect(s.address()).toMatchObject({ address: '127.0.0.1', port: probe.port });
    } finally {
      s.close();
    }
  });

  it('takes the next free port when the wanted one is taken, and says so', async () => {
    const busy = await occupied();
    const s = net.createServer();
    try {
      const got = await listenOnFreePort(s, busy.port);
      expect(got.port).toBeGreaterThan(busy.port);
      expect(got.reason).toBe(`${busy.port} was taken; using ${got.port}`);
    } finally {
      s.close();
      busy.close();
    }
  });

  it('falls back to a system-chosen port when the whole range is taken', async () => {
    const busy = await occupied();
    const s = net.createServer();
    try {
      const got = await listenOnFreePort(s, busy.port, 1);
      expect(got.port).not.toBe(busy.port);
      expect(got.reason).toMatch(
        new RegExp(`^${busy.port} and the ports after it were taken; using ${got.port}$`),
      );
    } finally {
      s.close();
      busy.close();
    }
  });

  it('rejects on errors other than "taken"', async () => {
    const s = net.createServer();
    await expect(listenLoopback(s, 70_000)).rejects.toThrow();
  });
});
