// A loopback TCP relay for tests: put it between a client and a server to cut the connection
// (the network drops) and to refuse new ones (a proxy that breaks the stream) at will. TLS goes
// through it untouched, so a certificate for 127.0.0.1 stays valid.
import net from 'node:net';

export interface TcpProxy {
  /** `127.0.0.1:PORT` of the relay. */
  port: number;
  /** Connections relayed so far. */
  accepted: number;
  /** Destroys every relayed connection and refuses (resets) new ones until `resume()`. */
  cut(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) return void client.resetAndDestroy();
    proxy.accepted++;
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const proxy: TcpProxy = {
    port: (server.address() as net.AddressInfo).port,
    accepted: 0,
    cut() {
      refusing = true;
      for (const s of sockets) s.destroy();
    },
    resume() {
      refusing = false;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
  return proxy;
}
