// Throughput of a port forward through the RunCode SSH gateway versus raw loopback, in one run.
//
//   npx tsx bench/gatewayForward.mjs [BYTES]        (default 1 GiB; or GATEWAY_BENCH_BYTES)
//   GATEWAY_BENCH_CIPHER=aes128-gcm@openssh.com npx tsx bench/gatewayForward.mjs
//
// Run with tsx: it imports the gateway and the in-memory test backend straight from src/
// (src/server/testing is not part of the build). It starts the gateway on 127.0.0.1:0 with a
// MemoryBackend, a sink TCP server on loopback, then pushes BYTES (a) through `ssh -N -L` via
// the gateway and (b) straight to the sink, and prints both rates and their ratio, plus the
// median round trip of a 1-byte ping-pong both ways (Nagle would show up there as ~40 ms).
// A benchmark, not a test: nothing here fails on a slow machine.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startGateway } from '../src/server/gateway.ts';
import { ensureHostKey } from '../src/server/hostKey.ts';
import { MemoryBackend } from '../src/server/testing/memoryBackend.ts';
import { writeSshClientConfig } from '../src/server/testing/sshClientConfig.ts';

const BYTES = Number(process.argv[2] ?? process.env.GATEWAY_BENCH_BYTES ?? 1024 ** 3);
if (!Number.isSafeInteger(BYTES) || BYTES <= 0) throw new Error(`bad byte count: ${process.argv[2]}`);
const CIPHER = process.env.GATEWAY_BENCH_CIPHER;
const PINGS = 200;

const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

/** Counts what arrives; when the sender ends, answers "ok" and closes. Echoes 1-byte pings. */
function startSink() {
  return net.createServer((s) => {
    s.setNoDelay(true);
    let n = 0;
    s.on('data', (b) => {
      if (b.length === 1 && n === 0 && b[0] === 0x70) return void s.write(b); // ping
      n += b.length;
    });
    s.on('end', () => s.end(`ok ${n}`));
    s.on('error', () => {});
  });
}

/** Pushes BYTES to port with backpressure; resolves with seconds until the sink's answer. */
function push(port) {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(1024 * 1024, 0x5a);
    const s = net.connect(port, '127.0.0.1');
    s.setNoDelay(true);
    let sent = 0;
    let answer = '';
    let start;
    const pump = () => {
      while (sent < BYTES) {
        const n = Math.min(chunk.length, BYTES - sent);
        sent += n;
        if (!s.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void s.once('drain', pump);
      }
      s.end();
    };
    s.on('connect', () => {
      start = process.hrtime.bigint();
      pump();
    });
    s.on('data', (b) => (answer += b));
    s.on('error', reject);
    s.on('close', () => {
      const secs = Number(process.hrtime.bigint() - start) / 1e9;
      if (answer !== `ok ${BYTES}`) reject(new Error(`sink answered ${JSON.stringify(answer)}`));
      else resolve(secs);
    });
  });
}

/** Median round trip (ms) of 1-byte messages on one connection. */
function pingPong(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    s.setNoDelay(true);
    const times = [];
    let t0;
    const one = () => {
      t0 = process.hrtime.bigint();
      s.write('p');
    };
    s.on('connect', one);
    s.on('data', () => {
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (times.length < PINGS) return one();
      s.destroy();
      times.sort((a, b) => a - b);
      resolve(times[times.length >> 1]);
    });
    s.on('error', reject);
  });
}

async function waitForPort(port, child) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`ssh exited with ${child.exitCode}`);
    const ok = await new Promise((r) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the forward never opened');
}

const mbps = (secs) => BYTES / secs / 1e6;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-gw-'));
const sink = startSink();
let gateway;
let ssh;
try {
  const sinkPort = await listen(sink);
  const backend = new MemoryBackend();
  backend.addWorkspace({ id: 'ws-bench', name: 'bench', dir: root });
  const hostKey = ensureHostKey(path.join(root, 'server'));
  gateway = await startGateway({ backend, hostKey: hostKey.privateKey });
  const client = writeSshClientConfig({
    dir: path.join(root, 'client'),
    port: gateway.port,
    user: 'bench',
    hostPublicKey: hostKey.publicKey,
  });
  backend.registerKey('ws-bench', client.keyPair.publicBlob, Date.now() + 3_600_000);

  const probe = net.createServer();
  const localPort = await listen(probe);
  await new Promise((r) => probe.close(r));
  const args = ['-F', client.configFile, '-N', '-o', 'ExitOnForwardFailure=yes'];
  if (CIPHER) args.push('-c', CIPHER);
  args.push('-L', `127.0.0.1:${localPort}:127.0.0.1:${sinkPort}`, client.host);
  ssh = spawn('ssh', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(localPort, ssh);

  console.log(`pushing ${(BYTES / 1024 ** 2).toFixed(0)} MiB; ssh cipher: ${CIPHER ?? 'OpenSSH default'}`);
  const viaGateway = await push(localPort);
  const raw = await push(sinkPort);
  const rttGateway = await pingPong(localPort);
  const rttRaw = await pingPong(sinkPort);
  console.log(`ssh -L via gateway: ${mbps(viaGateway).toFixed(1)} MB/s (${viaGateway.toFixed(2)} s)`);
  console.log(`raw loopback:       ${mbps(raw).toFixed(1)} MB/s (${raw.toFixed(2)} s)`);
  console.log(`ratio gateway/raw:  ${(mbps(viaGateway) / mbps(raw)).toFixed(3)}`);
  console.log(
    `median 1-byte round trip: via gateway ${rttGateway.toFixed(3)} ms, raw ${rttRaw.toFixed(3)} ms`,
  );
} finally {
  ssh?.kill();
  await gateway?.close();
  sink.close();
  fs.rmSync(root, { recursive: true, force: true });
}
