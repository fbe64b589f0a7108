import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshTarget } from '../ssh/sshTarget.js';
import type { ForwardInfo } from './forward.js';
import { ForwardManager } from './forwardManager.js';
import type { ForwardEvent } from './forwardManager.js';
import { startGatewayHost } from './testing/gatewayHostProcess.js';
import type { GatewayHost } from './testing/gatewayHostProcess.js';
import { until } from '../testing/until.js';

const DEMO = 'hello from the demo workspace';

let gw: GatewayHost;
beforeAll(async () => {
  gw = await startGatewayHost();
});
afterAll(async () => {
  await gw?.close();
});

function get(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** A manager whose target is the gateway host's demo workspace, with a fresh pass per target request. */
function manager(freshPassEachTime = false): {
  fm: ForwardManager;
  targets: SshTarget[];
  retryDelays: number[];
} {
  const targets: SshTarget[] = [];
  const retryDelays: number[] = [];
  let shared: Promise<SshTarget> | undefined;
  const fm = new ForwardManager({
    getTarget: async () => {
      const t = await (freshPassEachTime ? gw.newTarget() : (shared ??= gw.newTarget()));
      targets.push(t);
      return t;
    },
    backoff: { baseMs: 200, maxMs: 1_000 },
    statsIntervalMs: 50,
    links: {
      state: () => {},
      retryAt: (_ws, atMs) => retryDelays.push(atMs - Date.now()),
      roundTrip: () => {},
      closed: () => {},
    },
  });
  return { fm, targets, retryDelays };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

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
      console.warn('skipped: this machine has no non-loopback IPv4 address to try the listener from');
      ctx.skip();
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

function pubOf(t: SshTarget): string {
  return sshPublicOf(t.privateKey);
}

function sshPublicOf(pem: string): string {
  const k = ssh2.utils.parseKey(pem);
  const key = Array.isArray(k) ? k[0] : k;
  if (!key || key instanceof Error) throw new Error('bad key');
  return `ssh-ed25519 ${key.getPublicSSH().toString('base64')}`;
}
