// A cap on open connections that a flood of idle ones cannot use to lock everyone out. Each
// listener admits every new socket; at the cap, the oldest socket that has not yet proven itself
// (a finished TLS handshake for the control plane, a finished SSH login for the gateway) makes
// room, and only when every held socket has proven itself is the newcomer refused. Idle sockets
// also time out on their own (TLS handshake, header and login timeouts), so the cap is the second
// line, not the first.
import type net from 'node:net';

export class ConnectionCap {
  private readonly all = new Set<net.Socket>();
  /** Not yet proven, oldest first (a Set keeps insertion order). */
  private readonly unproven = new Set<net.Socket>();
  private evicted = 0;

  constructor(
    private readonly max: number,
    private readonly log: (line: string) => void,
    private readonly what: string,
  ) {}

  /** Takes a new socket in (making room if it must); false when it was refused. */
  admit(socket: net.Socket): boolean {
    if (this.all.size >= this.max) {
      const oldest = this.unproven.values().next().value as net.Socket | undefined;
      if (!oldest) {
        socket.destroy();
        this.note();
        return false;
      }
      this.forget(oldest);
      oldest.destroy();
      this.note();
    }
    this.all.add(socket);
    this.unproven.add(socket);
    socket.once('close', () => this.forget(socket));
    return true;
  }

  /** The socket got through its handshake: it is no longer the first to go. */
  proven(socket: net.Socket | undefined): void {
    if (socket) this.unproven.delete(socket);
  }

  get size(): number {
    return this.all.size;
  }

  private forget(socket: net.Socket): void {
    this.all.delete(socket);
    this.unproven.delete(socket);
  }

  /** One log line per 100 dropped connections, not one each (a flood must not flood the log). */
  private note(): void {
    if (this.evicted++ % 100 === 0)
      this.log(`${this.what}: ${this.max} connections open; dropping the oldest that have not signed in`);
  }
}
