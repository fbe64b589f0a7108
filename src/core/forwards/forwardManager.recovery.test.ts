// ForwardManager against the real gateway host: how forwards recover (gateway restart, pass
// refresh, a stopped workspace, a refused or silent remote, restore and dispose).
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ForwardInfo } from './forward.js';
import { gw, useGatewayHost } from './testing/useGatewayHost.js';
import { DEMO, freePort, get, managerOn, pubOf } from './testing/forwardManagerKit.js';
import { until } from '../testing/until.js';

useGatewayHost();
const manager = (freshPassEachTime = false) => managerOn(gw, freshPassEachTime);

describe('ForwardManager against the real gateway', () => {
  it('comes back after the gateway restarts (same port, same host key), never waiting past the backoff cap', async () => {
    const { fm, retryDelays } = manager();
    try {
      const f = await fm.add({ workspace: 'demo', remotePort: gw.ports.http });
      expect((await get(f.localPort)).status).toBe(200);
      await gw.call('stopGateway');
      await until('reconnecting', () =>
        fm.get('demo', gw.ports.http)?.state === 'reconnecting' ? true : undefined,
      );
      expect(fm.get('demo', gw.ports.http)?.reason).toMatch(/gateway/);
      // While the gateway is down, the listener stays and a new connection is closed cleanly.
      await expect(get(f.localPort)).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 1_000));
      await gw.call('startGateway');
      await until('active again', () =>
        fm.get('demo', gw.ports.http)?.state === 'active' ? true : undefined,
      );
      expect((await get(f.localPort)).body).toContain(DEMO);
      // "Back soon" is the backoff's promise: it retried, and no retry was put off past its 1 s cap
      // (a scheduled time, not a wall-clock measure, so a loaded machine cannot fail it).
      expect(retryDelays.length).toBeGreaterThan(0);
      expect(Math.max(...retryDelays)).toBeLessThanOrEqual(1_000);
    } finally {
      await gw.call('startGateway');
      await fm.dispose();
    }
  });

  it('survives a pass refresh: the old connection lives on, and a reconnect uses the fresh pass', async () => {
    const { fm, targets } = manager(true);
    try {
      const f = await fm.add({ workspace: 'demo', remotePort: gw.ports.http });
      expect((await get(f.localPort)).status).toBe(200);
      expect(targets).toHaveLength(1);
      // The first pass ends; the established connection keeps working.
      await gw.call('expireKey', { publicKey: pubOf(targets[0]!) });
      expect((await get(f.localPort)).body).toContain(DEMO);
      // Wake from sleep: a new connection is made (with a new pass) before the old one is dropped.
      fm.reconnectNow();
      await until('second target', () => (targets.length >= 2 ? true : undefined));
      await until('active', () => (fm.get('demo', gw.ports.http)?.state === 'active' ? true : undefined));
      expect((await get(f.localPort)).body).toContain(DEMO);
      // And after the gateway drops everyone, the reconnect again asks for a fresh target.
      await gw.call('stopGateway');
      await gw.call('startGateway');
      await until(
        'reconnected',
        async () => ((await get(f.localPort)).status === 200 ? true : undefined),
        5_000,
      );
      expect(targets.length).toBeGreaterThanOrEqual(3);
    } finally {
      await fm.dispose();
    }
  });

  it('shows why when the workspace stops, and comes back when it starts', async () => {
    const { fm } = manager();
    const seen: ForwardInfo[] = [];
    fm.subscribe((e) => e.type === 'changed' && seen.push(e.forward));
    try {
      const f = await fm.add({ workspace: 'demo', remotePort: gw.ports.http });
      expect((await get(f.localPort)).status).toBe(200);
      await gw.call('stopWorkspace');
      const failed = await until('failed', () => seen.find((i) => i.state === 'failed'));
      expect(failed.reason).toMatch(/gateway closed the connection.*refused the key/);
      await gw.call('startWorkspace');
      await until('back', async () => ((await get(f.localPort)).status === 200 ? true : undefined), 5_000);
    } finally {
      await gw.call('startWorkspace');
      await fm.dispose();
    }
  });

  it('says nothing listens on a refused remote port, and turns active once something does', async () => {
    const { fm } = manager();
    const dead = await freePort();
    const late = net.createServer((s) => s.end('late service\n'));
    try {
      // An explicit local port: the workspace shares this machine's loopback, so listening on
      // `dead` itself would forward the forward to itself.
      const f = await fm.add({ workspace: 'demo', remotePort: dead, localPort: await freePort() });
      const failed = await until('failed', () => {
        const i = fm.get('demo', dead);
        return i?.state === 'failed' ? i : undefined;
      });
      expect(failed.reason).toMatch(new RegExp(`^nothing listens on port ${dead} in demo`));
      await expect(get(f.localPort)).rejects.toThrow();
      const info = await until('lastError', () => fm.get('demo', dead)?.lastError);
      expect(info).toMatch(new RegExp(`did not accept a connection to its port ${dead}`));
      // The service starts: the next connection gets through, and the forward says active.
      await new Promise<void>((r) => late.listen(dead, '127.0.0.1', r));
      const body = await new Promise<string>((resolve, reject) => {
        const s = net.connect(f.localPort, '127.0.0.1');
        let got = '';
        s.on('data', (b: Buffer) => (got += b.toString()));
        s.on('end', () => resolve(got));
        s.on('error', reject);
      });
      expect(body).toBe('late service\n');
      await until('active', () => (fm.get('demo', dead)?.state === 'active' ? true : undefined));
      expect(fm.get('demo', dead)?.reason).toBeUndefined();
    } finally {
      late.close();
      await fm.dispose();
    }
  });

  it('notices a gateway that stops answering, says so, and comes back when it answers again', async () => {
    const { fm } = manager();
    const pid = gw.child.pid!;
    const events: ForwardInfo[] = [];
    fm.subscribe((e) => e.type === 'changed' && events.push(e.forward));
    let frozen = false;
    try {
      const f = await fm.add({ workspace: 'demo', remotePort: gw.ports.http, localPort: await freePort() });
      await until('active', () => (fm.get('demo', gw.ports.http)?.state === 'active' ? true : undefined));
      // One keepalive round trip answered: the link health has a round-trip time.
      fm.keepaliveTick();
      await until('rtt', () => fm.linkHealth('demo')?.rttMs);
      process.kill(pid, 'SIGSTOP');
      frozen = true;
      // Two ticks: the first pings, the second finds no answer (the tray ticks on each heartbeat).
      fm.keepaliveTick();
      await new Promise((r) => setTimeout(r, 200));
      fm.keepaliveTick();
      const down = await until('reconnecting', () => {
        const i = fm.get('demo', gw.ports.http);
        return i?.state !== 'active' ? i : undefined;
      });
      expect(down.reason).toMatch(/the gateway stopped answering/);
      process.kill(pid, 'SIGCONT');
      frozen = false;
      await until(
        'active again',
        () => (fm.get('demo', gw.ports.http)?.state === 'active' ? true : undefined),
        30_000,
      );
      expect((await get(f.localPort)).body).toContain(DEMO);
    } finally {
      if (frozen) process.kill(pid, 'SIGCONT');
      await fm.dispose();
    }
  }, 60_000);

  it('restores wanted forwards, removes them, and dispose closes the listeners', async () => {
    const first = manager();
    let port: number;
    try {
      port = (
        await first.fm.add({ workspace: 'demo', remotePort: gw.ports.http, localPort: await freePort() })
      ).localPort;
      const saved = JSON.parse(JSON.stringify(first.fm.wanted()));
      await first.fm.dispose();
      const second = manager();
      try {
        const [r] = await second.fm.restore(saved);
        expect(r?.ok && r.forward.localPort).toBe(port);
        expect((await get(port)).body).toContain(DEMO);
        await second.fm.remove('demo', gw.ports.http);
        expect(second.fm.list()).toEqual([]);
        await expect(get(port)).rejects.toThrow(/ECONNREFUSED/);
      } finally {
        await second.fm.dispose();
      }
    } finally {
      await first.fm.dispose();
    }
  });
});
