// The SSH gateway: an ssh2 server that lets a pass holder into one workspace (DESIGN.md, "SSH
// gateway"). We own the TCP listener and hand each socket to ssh2, so every socket gets
// TCP_NODELAY and an error handler before a byte is read, and close() can cut them all.
import net from 'node:net';
import ssh2 from 'ssh2';
import type { GatewayBackend } from './gatewayBackend.js';
import { ConnectionCap } from './connectionCap.js';
import { GatewayConnection } from './gatewayConnection.js';
import { SFTP_SERVER_PATHS } from '../core/ssh/sftpServer.js';

export interface GatewayOptions {
  backend: GatewayBackend;
  /** OpenSSH private key PEM (see ensureHostKey). */
  hostKey: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  log?: (msg: string) => void;
  /** Where to look for OpenSSH's sftp-server; default SFTP_SERVER_PATHS. */
  sftpServerPaths?: readonly string[];
  /** More ports no forward may reach (the control plane's); the gateway's own always. */
  ownPorts?: () => readonly number[];
  /** Open connections at most (default 256); idle unauthenticated ones make room first. */
  maxConnections?: number;
}

export interface Gateway {
  host: string;
  port: number;
  close(): Promise<void>;
}

const socketKey = (ip: string | undefined, port: number | undefined): string => `${ip}|${port}`;

export function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const log = opts.log ?? (() => {});
  const { backend } = opts;
  const ssh = new ssh2.Server({ hostKeys: [opts.hostKey], ident: 'RunCode-Gateway' });
  const sockets = new Map<string, net.Socket>();
  const connections = new Set<GatewayConnection>();
  const cap = new ConnectionCap(opts.maxConnections ?? 256, log, 'gateway');
  let closing = false;

  const tcp = net.createServer((socket) => {
    socket.on('error', () => {});
    if (closing) return void socket.destroy();
    socket.setNoDelay(true);
    if (!cap.admit(socket)) return;
    const key = socketKey(socket.remoteAddress, socket.remotePort);
    sockets.set(key, socket);
    socket.once('close', () => sockets.delete(key));
    ssh.injectSocket(socket);
  });

  ssh.on('error', (err: Error) => log(`gateway: ${err.message}`));
  ssh.on('connection', (client, info) => {
    const socket = sockets.get(socketKey(info.ip, info.port));
    const local = socket ? `${socket.localAddress} ${socket.localPort}` : `${addr.host} ${addr.port}`;
    const conn: GatewayConnection = new GatewayConnection(
      client,
      info,
      {
        backend,
        log,
        localAddress: local,
        sftpServerPaths: opts.sftpServerPaths ?? SFTP_SERVER_PATHS,
        ownPorts: () => [addr.port, ...(opts.ownPorts?.() ?? [])],
      },
      socket,
      () => connections.delete(conn),
    );
    // Signed in: no longer the first to make room when a flood fills the cap.
    client.once('ready', () => cap.proven(socket));
    connections.add(conn);
  });

  const unsubscribe = backend.onWorkspaceStopped((workspaceId) => {
    const ws = backend.workspace(workspaceId);
    const name = ws?.name ?? workspaceId;
    for (const c of connections) {
      if (c.workspaceId !== workspaceId) continue;
      log(`gateway: workspace ${name} stopped; closing a connection`);
      void c.stopWorkspace(name);
    }
  });

  // A revoked pass ends every connection made with its key (DESIGN.md, "SSH gateway"); one that
  // merely expired does not: expiry is checked at authentication, as OpenSSH checks a certificate.
  const unsubscribeRevoked = backend.onPassRevoked((workspaceId, blob) => {
    const name = backend.workspace(workspaceId)?.name ?? workspaceId;
    for (const c of connections) {
      if (c.workspaceId !== workspaceId || !c.keyBlob?.equals(blob)) continue;
      log(`gateway: the pass for a connection to ${name} was revoked; closing it`);
      void c.passRevoked(name);
    }
  });

  const addr = { host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 };
  return new Promise<Gateway>((resolve, reject) => {
    const onListenError = (err: Error): void => {
      unsubscribe();
      unsubscribeRevoked();
      reject(err);
    };
    tcp.once('error', onListenError);
    tcp.listen(addr.port, addr.host, () => {
      tcp.off('error', onListenError);
      tcp.on('error', (err) => log(`gateway: listener: ${err.message}`));
      const bound = tcp.address() as net.AddressInfo;
      addr.port = bound.port;
      resolve({
        host: addr.host,
        port: bound.port,
        close: () => {
          if (!closing) {
            closing = true;
            unsubscribe();
            unsubscribeRevoked();
            for (const c of connections) c.end();
            for (const s of sockets.values()) s.destroy();
          }
          return new Promise<void>((done) => {
            if (!tcp.listening) return done();
            tcp.close(() => done());
          });
        },
      });
    });
  });
}
