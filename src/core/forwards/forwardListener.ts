// The local end of one forward: a listener on 127.0.0.1 whose accepted sockets are bridged, each to
// its own channel on the workspace's shared SSH connection, and the forward's books (connections,
// bytes) kept as they go. Which connection to use and what to announce is the manager's to say.
import net from 'node:net';
import type { Clock } from '../clock.js';
import { toErrorInfo } from '../errors.js';
import { Forward, notListening } from './forward.js';
import type { WantedForward } from './forward.js';
import { listenExplicit, listenOnFreePort } from './portPicker.js';
import { bridgeSocket } from './socketBridge.js';
import type { WorkspaceConnection } from './workspaceConnection.js';

export interface ForwardListenerHooks {
  /** The workspace's shared SSH connection now; none: a new socket is dropped. */
  link(workspace: string): WorkspaceConnection | undefined;
  /** The forward's state or reason changed: announce it now. */
  changed(listener: ForwardListener): void;
  /** Traffic or connection counters moved: called at most once per stats interval. */
  counted(listener: ForwardListener): void;
  /** A channel was refused because nothing listens (the reason), or one got through (undefined). */
  reachable(listener: ForwardListener, unreachable: string | undefined): void;
}

export interface ForwardListenerOptions {
  hooks: ForwardListenerHooks;
  clock: Clock;
  statsIntervalMs: number;
}

export class ForwardListener {
  private readonly sockets = new Set<net.Socket>();
  private cancelStats: (() => void) | undefined;

  /**
   * Listens on the LOCAL port the user named, else on the remote port's number or the next free
   * one. Only that default may move: a named LOCAL is a promise (a URL, a config), so a taken one
   * is an error.
   */
  static async open(wanted: WantedForward, o: ForwardListenerOptions): Promise<ForwardListener> {
    const slot: { listener?: ForwardListener } = {};
    // allowHalfOpen: a client that sends its request then shuts down its side must still get the answer.
    const server = net.createServer({ allowHalfOpen: true }, (sock) => {
      if (slot.listener) slot.listener.accept(sock);
      else sock.destroy();
    });
    const picked =
      wanted.localPort === undefined
        ? await listenOnFreePort(server, wanted.remotePort)
        : { port: await listenExplicit(server, wanted.localPort), reason: undefined };
    const forward = new Forward(wanted.workspace, wanted.remotePort, picked.port, wanted.localPort);
    forward.portNote = picked.reason;
    slot.listener = new ForwardListener(forward, server, o);
    return slot.listener;
  }

  private constructor(
    readonly forward: Forward,
    private readonly server: net.Server,
    private readonly o: ForwardListenerOptions,
  ) {
    server.on('error', (err) => {
      forward.state = 'failed';
      forward.stateReason = `the local listener failed: ${err.message}`;
      o.hooks.changed(this);
    });
  }

  /** Drops every open socket and stops listening; no count is announced after this. */
  async close(): Promise<void> {
    // Left set (not cleared): a socket that closes from here on schedules no announcement.
    this.cancelStats?.();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
    });
  }

  private accept(sock: net.Socket): void {
    const { forward, o } = this;
    sock.setNoDelay(true);
    forward.connections++;
    forward.openConnections++;
    this.sockets.add(sock);
    this.counted();
    sock.on('error', () => sock.destroy());
    sock.once('close', () => {
      this.sockets.delete(sock);
      forward.openConnections--;
      this.counted();
    });
    const link = o.hooks.link(forward.workspace);
    if (!link) {
      sock.destroy();
      return;
    }
    bridgeSocket(sock, link.forwardOut(sock.remotePort ?? 0, forward.remotePort), {
      onBytesIn: (n) => {
        forward.bytesIn += n;
        this.counted();
      },
      onBytesOut: (n) => {
        forward.bytesOut += n;
        this.counted();
      },
      onOpenError: (err) => {
        const info = toErrorInfo(err);
        forward.lastError = info.message;
        if (info.code === 'forward_refused') o.hooks.reachable(this, notListening(forward));
        o.hooks.changed(this);
      },
      onOpen: () => {
        if (forward.unreachable !== undefined) o.hooks.reachable(this, undefined);
      },
    });
  }

  private counted(): void {
    if (this.cancelStats) return;
    this.cancelStats = this.o.clock.setTimer(() => {
      this.cancelStats = undefined;
      this.o.hooks.counted(this);
    }, this.o.statsIntervalMs);
  }
}
