// The measuring client of the forward figures (bench/figures/forward.ts), in its own process (as
// a browser or curl would be), so it does not share an event loop with the forward being measured.
// It reads one JSON request per line on stdin and answers one JSON line each:
//   {"op":"download","port":P,"bytes":N} -> {"mbps":M}   (asks the source service for N bytes, reads to the end)
//   {"op":"first-byte","port":P}          -> {"ms":T}     (fresh connection, one byte to echo and back)
//   {"op":"parallel","port":P,"n":N,"bytes":B} -> {"ms":[...]} (N fresh connections at once, each an
//                                            HTTP/1.1 GET /bytes/B read to the end; each one's time)
import net from 'node:net';
import readline from 'node:readline';

function download(port, n) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    let got = 0;
    const s = net.connect({ host: '127.0.0.1', port, noDelay: true }, () => s.write(`${n}\n`));
    s.on('data', (b) => (got += b.length));
    s.on('end', () => {
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      if (got !== n) reject(new Error(`got ${got} of ${n} bytes`));
      else resolve({ mbps: n / secs / 1e6 });
    });
    s.on('error', reject);
  });
}

function firstByte(port) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const s = net.connect({ host: '127.0.0.1', port, noDelay: true }, () => s.write('x'));
    s.once('data', () => {
      resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6 });
      s.destroy();
    });
    s.on('error', reject);
  });
}

/** One small HTTP request on a fresh connection (Connection: close), timed until the body's end. */
function smallRequest(port, bytes) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    let got = 0;
    const s = net.connect({ host: '127.0.0.1', port, noDelay: true }, () =>
      s.write(`GET /bytes/${bytes} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`),
    );
    s.on('data', (b) => (got += b.length));
    s.on('end', () => {
      if (got < bytes) reject(new Error(`got ${got} bytes for a ${bytes}-byte body`));
      else resolve(Number(process.hrtime.bigint() - t0) / 1e6);
    });
    s.on('error', reject);
  });
}

async function parallel(port, n, bytes) {
  const ms = await Promise.all(Array.from({ length: n }, () => smallRequest(port, bytes)));
  return { ms };
}

const run = (req) =>
  req.op === 'download'
    ? download(req.port, req.bytes)
    : req.op === 'parallel'
      ? parallel(req.port, req.n, req.bytes)
      : firstByte(req.port);

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', async (line) => {
  try {
    process.stdout.write(`${JSON.stringify(await run(JSON.parse(line)))}\n`);
  } catch (e) {
    process.stdout.write(`${JSON.stringify({ error: String(e) })}\n`);
  }
});
