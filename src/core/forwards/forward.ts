// One forward, (workspace, remotePort) -> 127.0.0.1:localPort, as a value: what it is, how it is
// doing and how much it carried. The manager owns the sockets; this only keeps the books.

export type ForwardState = 'starting' | 'active' | 'reconnecting' | 'failed';

/** A forward the user wants; what is persisted and restored. */
export interface WantedForward {
  workspace: string;
  remotePort: number;
  /** The local port asked for; absent means "the remote port if free". */
  localPort?: number;
}

export interface ForwardInfo {
  workspace: string;
  remotePort: number;
  /** Where it listens (127.0.0.1 only). */
  localPort: number;
  url: string;
  state: ForwardState;
  /** Why it is not simply active, or why the local port differs from the one asked for. */
  reason?: string;
  /** The last failure of a single forwarded connection (say, nothing listening on the remote port). */
  lastError?: string;
  /** Connections accepted so far, and those open now. */
  connections: number;
  openConnections: number;
  /** Bytes from the workspace to local clients. */
  bytesIn: number;
  /** Bytes from local clients to the workspace. */
  bytesOut: number;
}

export function forwardKey(workspace: string, remotePort: number): string {
  return `${workspace}:${remotePort}`;
}

/** Why a forward shows `failed` while the workspace refuses its remote port. */
export function notListening(f: { workspace: string; remotePort: number }): string {
  return `nothing listens on port ${f.remotePort} in ${f.workspace} (start the service there; the forward connects when it does)`;
}

export class Forward {
  state: ForwardState = 'starting';
  /** Connection-level reason (reconnecting, failed). */
  stateReason: string | undefined;
  /** Set when the local port is not the one asked for. */
  portNote: string | undefined;
  lastError: string | undefined;
  /**
   * Set while the workspace refuses connections to remotePort (nothing listens there): the
   * forward shows `failed` with this reason instead of `active`, until a connection gets through.
   */
  unreachable: string | undefined;
  connections = 0;
  openConnections = 0;
  bytesIn = 0;
  bytesOut = 0;

  constructor(
    readonly workspace: string,
    readonly remotePort: number,
    readonly localPort: number,
    readonly requestedLocalPort: number | undefined,
  ) {}

  get key(): string {
    return forwardKey(this.workspace, this.remotePort);
  }

  wanted(): WantedForward {
    const w: WantedForward = { workspace: this.workspace, remotePort: this.remotePort };
    if (this.requestedLocalPort !== undefined) w.localPort = this.requestedLocalPort;
    return w;
  }

  info(): ForwardInfo {
    const reason = [this.stateReason, this.portNote].filter(Boolean).join('; ');
    const info: ForwardInfo = {
      workspace: this.workspace,
      remotePort: this.remotePort,
      localPort: this.localPort,
      url: `http://127.0.0.1:${this.localPort}/`,
      state: this.state,
      connections: this.connections,
      openConnections: this.openConnections,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
    };
    if (reason) info.reason = reason;
    if (this.lastError) info.lastError = this.lastError;
    return info;
  }
}
