// Local listeners for forwards: loopback only, the wanted port when it is free, else the next
// free one (and the reason), else any port the system gives. Binding is the test for "free":
// checking first and binding later would race with other programs.
import type net from 'node:net';
import { RuncodeError } from '../errors.js';

export const LOOPBACK = '127.0.0.1';

/** Resolves once `server` listens on 127.0.0.1:port; rejects with the bind error. */
export function listenLoopback(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host: LOOPBACK, port, exclusive: true });
  });
}

export interface PickedPort {
  port: number;
  /** Set when the port is not the wanted one: says which was taken and what we use instead. */
  reason?: string;
}

function isTaken(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  // EACCES: a privileged port (below 1024) we may not bind; as good as taken for us.
  return code === 'EADDRINUSE' || code === 'EACCES';
}

/** Listens on `wanted`, else the next free port (up to `tries` of them), else a system-chosen one. */
export async function listenOnFreePort(server: net.Server, wanted: number, tries = 20): Promise<PickedPort> {
  for (let port = wanted; port < wanted + tries && port <= 65535; port++) {
    try {
      const got = await listenLoopback(server, port);
      return got === wanted ? { port: got } : { port: got, reason: `${wanted} was taken; using ${got}` };
    } catch (e) {
      if (!isTaken(e)) throw e;
    }
  }
  const got = await listenLoopback(server, 0);
  return { port: got, reason: `${wanted} and the ports after it were taken; using ${got}` };
}

/** Listens on the LOCAL port the user named, or fails with a `port_in_use` error that says which. */
export async function listenExplicit(server: net.Server, port: number): Promise<number> {
  try {
    return await listenLoopback(server, port);
  } catch (e) {
    if (isTaken(e))
      throw new RuncodeError(
        'port_in_use',
        (e as NodeJS.ErrnoException).code === 'EACCES'
          ? `local port ${port} needs privileges this user does not have; choose another (PORT:LOCAL)`
          : `local port ${port} is already in use on 127.0.0.1; choose another (PORT:LOCAL), or leave LOCAL out to take the next free one`,
        { cause: e },
      );
    throw e;
  }
}
