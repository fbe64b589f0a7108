// ForwardManager against the real gateway host: serving a forward (ports, loopback only, load,
// half-close). Recovery (gateway restarts, pass refresh, stops, dispose): forwardManager.recovery.test.ts.
import net from 'node:net';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import type { ForwardEvent } from './forwardManager.js';
import { gw, useGatewayHost } from './testing/useGatewayHost.js';
import { DEMO, freePort, get, managerOn } from './testing/forwardManagerKit.js';
import { until } from '../testing/until.js';

useGatewayHost();
const manager = (freshPassEachTime = false) => managerOn(gw, freshPassEachTime);

describe('ForwardManager against the real gateway', () => {
  it('forwards the demo page; the remote port is taken here (the workspace runs on this machine), so it says which it uses', async () => {
    const { fm } = manager();
    const events: ForwardEvent[] = [];
    fm.subscribe((e) => events.push(e));
    try {
      const f = await fm.add({ workspace: 'demo', remotePort: gw.ports.http });
      expect(f.localPort).not.toBe(gw.ports.http);
      expect(f.reason).toBe(`${gw.ports.http} was taken; using ${f.localPort}`);
      const res = await get(f.localPort);
      expect(res.status).toBe(200);
      expect(res.body).toContain(DEMO);
      const info = await until('counters', () => {
        const i = fm.get('demo', gw.ports.http);
        return i && i.state === 'active' && i.bytesIn > 0 && i.openConnections === 0 ? i : undefined;
      });
      expect(info.connections).toBe(1);
      expect(info.bytesIn).toBeGreaterThan(DEMO.length);
      expect(info.bytesOut).toBeGreaterThan(0);
      expect(events.some((e) => e.type === 'changed' && e.forward.state === 'active')).toBe(true);
    } finally {
      await fm.dispose();
    }
  });

  it('uses the LOCAL port asked for when free, and refuses one that is taken', async () => {
    const { fm } = manager();
    const wantedFree = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const a = await fm.add({ workspace: 'demo', remotePort: gw.ports.http, localPort: wantedFree });
      expect(a.localPort).toBe(wantedFree);
      expect(a.reason).toBeUndefined();
      // Only the default may move: a LOCAL the user named is a promise.
      await expect(
        fm.add({ workspace: 'demo', remotePort: gw.ports.echo, localPort: taken }),
      ).rejects.toMatchObject({
        code: 'port_in_use',
        message: expect.stringContaining(`local port ${taken} is already in use`),
      });
      expect(fm.get('demo', gw.ports.echo)).toBeUndefined();
      expect((await get(a.localPort)).body).toContain(DEMO);
      expect(fm.wanted()).toEqual([{ workspace: 'demo', remotePort: gw.ports.http, localPort: wantedFree }]);
    } finally {
      blocker.close();
      await fm.dispose();
    }
  });

  it('listens on loopback only', async (ctx) => {
    const ip = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!ip) {
      ctx.skip('this machine has no non-loopback IPv4 address to try the listener from');
      return;
    }
    const { fm } = manager();
    try {
      const f = await fm.add({ workspace: 'demo', remotePort: gw.ports.http });
      expect((await get(f.localPort)).status).toBe(200);
      const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
        const s = net.connect({ host: ip, port: f.localPort });
        s.on('connect', () => {
          s.destroy();
          resolve(undefined);
        });
        s.on('error', (e) => resolve(e));
      });
      expect(err?.code).toBe('ECONNREFUSED');
    } finally {
      await fm.dispose();
    }
  });

  it('carries 200 concurrent requests through one forward', async () => {
    const { fm } = manager();
    try {
      const f = await fm.add({ workspace: 'demo', remotePort: gw.ports.http });
      const results = await Promise.all(Array.from({ length: 200 }, () => get(f.localPort)));
      expect(results.filter((r) => r.status === 200 && r.body.includes(DEMO))).toHaveLength(200);
      const big = await get(f.localPort, '/bytes/3000000');
      expect(big.body.length).toBe(3_000_000);
      const info = await until('all closed', () => {
        const i = fm.get('demo', gw.ports.http);
        return i && i.openConnections === 0 && i.connections === 201 ? i : undefined;
      });
      expect(info.bytesIn).toBeGreaterThan(3_000_000);
    } finally {
      await fm.dispose();
    }
  });

  it('keeps a half-closed connection: the answer still comes back after the client shuts its side', async () => {
    const { fm } = manager();
    try {
      const f = await fm.add({ workspace: 'demo', remotePort: gw.ports.echo, localPort: await freePort() });
      const payload = Buffer.alloc(600 * 1024, 'e'); // more than the early buffer holds
      const back = await new Promise<Buffer>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const s = net.connect({ host: '127.0.0.1', port: f.localPort, allowHalfOpen: true }, () =>
          s.end(payload),
        );
        s.on('data', (b: Buffer) => chunks.push(b));
        s.on('end', () => resolve(Buffer.concat(chunks)));
        s.on('error', reject);
      });
      expect(back.equals(payload)).toBe(true);
    } finally {
      await fm.dispose();
    }
  });
});
