// direct-tcpip through the gateway (`ssh -L`, `ssh -W`), refused forwards, and clients that
// misbehave (garbage, vanishing mid-channel) without hurting the gateway.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ssh2Alpha, startGatewayFixture } from './testing/gatewayFixture.js';
import type { GatewayFixture } from './testing/gatewayFixture.js';
import { runProcess } from './testing/runProcess.js';

let f: GatewayFixture;
let web: http.Server;
let webPort: number;
beforeAll(async () => {
  f = await startGatewayFixture();
  web = http.createServer((_req, res) => res.end('hello from the workspace\n'));
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  webPort = (web.address() as net.AddressInfo).port;
});
afterAll(async () => {
  web?.closeAllConnections();
  await new Promise((r) => web?.close(r));
  await f?.close();
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url);
  return res.text();
}

async function retry<T>(fn: () => Promise<T>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

const connectAlpha = () => ssh2Alpha(f);

describe('gateway forwarding', () => {
  it('ssh -N -L reaches an HTTP server on the workspace loopback', async () => {
    const port = await freePort();
    const fwd = spawn(
      'ssh',
      [
        '-F',
        f.client.configFile,
        '-N',
        '-o',
        'ExitOnForwardFailure=yes',
        '-L',
        `127.0.0.1:${port}:localhost:${webPort}`,
        f.client.host,
      ],
      { stdio: 'pipe' },
    );
    let err = '';
    fwd.stderr.on('data', (b: Buffer) => (err += b.toString()));
    try {
      expect(await retry(() => fetchText(`http://127.0.0.1:${port}/`))).toBe('hello from the workspace\n');
      // Several at once over the one connection.
      const many = await Promise.all(
        Array.from({ length: 8 }, () => fetchText(`http://127.0.0.1:${port}/x`)),
      );
      expect(new Set(many)).toEqual(new Set(['hello from the workspace\n']));
    } finally {
      fwd.kill();
    }
    expect(err).toBe('');
  });

  it('ssh -W carries a large stream both ways intact (backpressure, no loss)', async () => {
    const echo = net.createServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const port = (echo.address() as net.AddressInfo).port;
    try {
      const input = Buffer.alloc(8 * 1024 * 1024);
      for (let i = 0; i < input.length; i++) input[i] = (i * 31 + (i >> 13)) & 0xff;
      const r = await new Promise<Buffer>((resolve, reject) => {
        const p = spawn('ssh', ['-F', f.client.configFile, '-W', `127.0.0.1:${port}`, f.client.host]);
        const out: Buffer[] = [];
        let got = 0;
        p.stdout.on('data', (b: Buffer) => {
          out.push(b);
          got += b.length;
          // An echo never ends by itself: stop once everything came back.
          if (got >= input.length) p.kill();
        });
        p.on('error', reject);
        p.on('close', () => resolve(Buffer.concat(out)));
        p.stdin.end(input);
      });
      expect(r.length).toBe(input.length);
      expect(r.equals(input)).toBe(true);
    } finally {
      echo.close();
    }
  });

  it('refuses direct-tcpip to anything but loopback', async () => {
    const before = f.logs.length;
    for (const target of ['192.0.2.1:80', 'example.com:443', '10.0.0.1:22']) {
      const r = await runProcess('ssh', ['-F', f.client.configFile, '-W', target, f.client.host]);
      expect(r.code).toBe(255);
      expect(r.stderr).toMatch(/open failed|stdio forwarding failed/i);
    }
    const log = f.logs.slice(before).join('\n');
    expect(log).toContain('refused forward to "192.0.2.1":80');
    expect(log).toContain('refused forward to "example.com":443');
  });

  it('refuses remote forwarding (ssh -R)', async () => {
    const before = f.logs.length;
    const r = await runProcess('ssh', [
      '-F',
      f.client.configFile,
      '-o',
      'ExitOnForwardFailure=yes',
      '-R',
      `0:127.0.0.1:${webPort}`,
      f.client.host,
      'echo should-not-run',
    ]);
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/remote port forwarding failed/);
    expect(f.logs.slice(before).join('\n')).toContain('refused global request "tcpip-forward"');
  });

  it('ends forwards when the workspace stops', async () => {
    const conn = await connectAlpha();
    try {
      const stream = await new Promise<ssh2.ClientChannel>((resolve, reject) =>
        conn.forwardOut('127.0.0.1', 0, '127.0.0.1', webPort, (err, s) => (err ? reject(err) : resolve(s))),
      );
      const closed = new Promise<void>((r) => stream.on('close', () => r()));
      const connClosed = new Promise<void>((r) => conn.on('close', () => r()));
      stream.on('data', () => {});
      f.backend.stopWorkspace('ws-alpha');
      await closed;
      await connClosed;
    } finally {
      f.backend.startWorkspace('ws-alpha');
      conn.end();
    }
  });
});

describe('gateway robustness', () => {
  it('survives garbage, a truncated handshake and clients vanishing mid-channel', async () => {
    const sendRaw = (data: Buffer | string) =>
      new Promise<void>((resolve) => {
        const s = net.connect(f.gateway.port, '127.0.0.1', () => s.end(data));
        s.on('error', () => resolve());
        s.on('close', () => resolve());
        s.resume();
        setTimeout(() => s.destroy(), 2000);
      });
    await sendRaw(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    await sendRaw(Buffer.concat([Buffer.from('SSH-2.0-evil\r\n'), Buffer.alloc(4096, 0xff)]));
    await sendRaw(
      Buffer.concat([Buffer.from('SSH-2.0-evil\r\n'), Buffer.from([0, 0, 0, 12, 4, 20, 1, 2, 3])]),
    );

    // A command whose client disappears without a word is killed (its whole process group).
    const pidFile = path.join(f.root, 'vanish.pid');
    const conn = await connectAlpha();
    await new Promise<void>((resolve, reject) =>
      conn.exec(`sh -c 'echo $$ > ${pidFile}; exec sleep 60' & wait`, (err, stream) => {
        if (err) return reject(err);
        stream.on('data', () => {});
        stream.stderr.on('data', () => {});
        resolve();
      }),
    );
    await retry(async () => {
      if (!fs.existsSync(pidFile) || !fs.readFileSync(pidFile, 'utf8').trim()) throw new Error('no pid yet');
    });
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    expect(() => process.kill(pid, 0)).not.toThrow();
    (conn as unknown as { _sock: net.Socket })._sock.destroy();
    await retry(async () => {
      let alive = true;
      try {
        process.kill(pid, 0);
      } catch {
        alive = false;
      }
      if (alive) throw new Error(`pid ${pid} still running`);
    });

    const r = await runProcess('ssh', ['-F', f.client.configFile, f.client.host, 'echo', 'alive']);
    expect(r).toMatchObject({ code: 0, stdout: 'alive\n' });
  });
});

describe('gateway close()', () => {
  it('ends connections and their commands', async () => {
    const g = await startGatewayFixture();
    const held = spawn('ssh', ['-F', g.client.configFile, g.client.host, 'echo started; sleep 60'], {
      stdio: 'pipe',
    });
    let out = '';
    held.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const closed = new Promise<number | null>((r) => held.on('close', r));
    try {
      await retry(async () => {
        if (!out.includes('started')) throw new Error('not started');
      });
      await g.close();
      expect(await closed).toBe(255);
      const refused = await runProcess('ssh', ['-F', g.client.configFile, g.client.host, 'true']);
      expect(refused.code).toBe(255);
    } finally {
      held.kill();
      await g.close();
    }
  });
});
