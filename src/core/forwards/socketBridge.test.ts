// A local reader slower than the workspace: real sockets end to end (an ssh2 server whose
// direct-tcpip channels send as fast as the window lets them, our bridge, a local client that
// does not read). The channel must stop being read, holding at most CHANNEL_BUFFER beyond the
// window the workspace was granted; once the reader reads, everything flows again.
import net from 'node:net';
import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { generateEd25519KeyPair } from '../ssh/opensshKey.js';
import { until } from '../testing/until.js';
import { CHANNEL_BUFFER, bridgeSocket } from './socketBridge.js';

/** ssh2's window per channel (its MAX_WINDOW): what the workspace may send before an adjust. */
const WINDOW = 2 * 1024 * 1024;
const PACKET = 32 * 1024;

/** What the workspace may still send on this channel (ssh2's incoming window, typed unknown). */
const windowLeft = (ch: ClientChannel): number => (ch.incoming as { window: number }).window;

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const listening = (server: net.Server): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );

/** An SSH server whose every direct-tcpip channel is an endless stream, written with backpressure. */
async function streamingGateway(): Promise<number> {
  const chunk = Buffer.alloc(PACKET, 'x');
  const server = new ssh2.Server({ hostKeys: [generateEd25519KeyPair().privateKey] }, (conn) => {
    conn.on('error', () => undefined);
    conn.on('authentication', (ctx) => ctx.accept());
    conn.on('ready', () =>
      conn.on('tcpip', (accept) => {
        const ch = accept();
        ch.on('error', () => undefined);
        const pump = (): void => {
          while (!ch.destroyed && ch.write(chunk));
        };
        ch.on('drain', pump);
        pump();
      }),
    );
  });
  cleanups.push(() => server.close());
  return listening(server as unknown as net.Server);
}

describe('a local reader slower than the workspace', () => {
  it('the channel stops being read with at most CHANNEL_BUFFER beyond the window; reading resumes it', async () => {
    const gatewayPort = await streamingGateway();
    const client = new ssh2.Client();
    cleanups.push(() => client.end());
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve).once('error', reject);
      client.connect({ host: '127.0.0.1', port: gatewayPort, username: 't', hostVerifier: () => true });
    });
    let channel: ClientChannel | undefined;
    const local = net.createServer((sock) => {
      sock.on('error', () => undefined); // the reader goes away at the end
      const open = new Promise<ClientChannel>((resolve, reject) =>
        client.forwardOut('127.0.0.1', 0, '127.0.0.1', 80, (err, ch) => (err ? reject(err) : resolve(ch))),
      ).then((ch) => (channel = ch));
      bridgeSocket(sock, open, {
        onBytesIn: () => undefined,
        onBytesOut: () => undefined,
        onOpenError: () => undefined,
      });
    });
    cleanups.push(() => local.close());
    const reader = net.connect(await listening(local), '127.0.0.1');
    cleanups.push(() => reader.destroy());
    reader.pause(); // reads nothing: the kernel's buffers fill, then the bridge's socket says full

    // The workspace has sent all it was granted: no window adjust came after the channel filled.
    await until(
      'the workspace to use up its window',
      () => (channel && windowLeft(channel) === 0) || undefined,
      60_000,
    );
    const ch = channel!;
    expect(ch.isPaused()).toBe(true);
    // ssh2's own mark (2 MiB) would let ~3-4 MiB wait here before the window stopped growing.
    expect(ch.readableLength).toBeGreaterThan(0);
    expect(ch.readableLength).toBeLessThanOrEqual(CHANNEL_BUFFER + WINDOW + PACKET);

    // The reader catches up: the channel is read again and the workspace sends more than was held.
    const held = ch.readableLength;
    let got = 0;
    reader.on('data', (b: Buffer) => (got += b.length));
    reader.resume();
    await until('the stream to flow again', () => got > held + 4 * WINDOW || undefined, 60_000);
  });
});
