// direct-tcpip (`ssh -L`, `ssh -W`): only to the workspace's own declared ports on loopback,
// never the control plane or the gateway itself (the local demo server's workspaces share this
// machine's loopback with them). The local end gets
// TCP_NODELAY (Nagle costs ~40 ms a round trip through a forward) and both directions are
// piped, so a slow reader slows the writer instead of filling memory.
import net from 'node:net';
import type { AcceptConnection, RejectConnection, ServerChannel, TcpipRequestInfo } from 'ssh2';
import { isPort } from '../shared/port.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

export function isLoopbackTarget(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase());
}

export interface Forward {
  destroy(): void;
}

/**
 * Handles one direct-tcpip request. Returns the forward (to end it when the workspace stops or
 * the connection goes), or undefined when it was refused. `onDone` runs once it is over.
 */
export function openForward(
  accept: AcceptConnection<ServerChannel>,
  reject: RejectConnection,
  info: TcpipRequestInfo,
  /** Whether this workspace may reach `port` on loopback. */
  allowedPort: (port: number) => boolean,
  log: (msg: string) => void,
  label: string,
  onDone: () => void,
): Forward | undefined {
  const host = String(info.destIP);
  const port = info.destPort;
  const why = !isLoopbackTarget(host)
    ? 'not loopback'
    : !isPort(port)
      ? 'not a port'
      : !allowedPort(port)
        ? "not one of the workspace's ports"
        : undefined;
  if (why) {
    log(`gateway: refused forward to ${JSON.stringify(host.slice(0, 64))}:${port} for ${label}: ${why}`);
    reject();
    onDone();
    return undefined;
  }
  let channel: ServerChannel | undefined;
  let over = false;
  const socket = net.connect({ host: host === '[::1]' ? '::1' : host, port });
  const end = (): void => {
    if (over) return;
    over = true;
    socket.destroy();
    if (channel) channel.destroy();
    else reject();
    onDone();
  };
  socket.on('error', end);
  socket.on('close', () => {
    // After a clean end the pipe has already ended the channel, which closes once its
    // buffered data is out; closing it now could drop that data.
    if (!channel || !socket.readableEnded) end();
  });
  socket.once('connect', () => {
    socket.setNoDelay(true);
    channel = accept();
    if (!channel) return end();
    channel.on('error', end);
    channel.on('close', end);
    socket.pipe(channel);
    channel.pipe(socket);
  });
  return { destroy: end };
}
