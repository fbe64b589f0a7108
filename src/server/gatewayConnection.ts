// One client connection: authentication, then its session channels and forwards, which it
// owns and ends (when the workspace stops, the client leaves, or the gateway closes).
import type net from 'node:net';
import type { ClientInfo, Connection } from 'ssh2';
import type { GatewayBackend } from './gatewayBackend.js';
import { handleAuth } from './gatewayAuth.js';
import type { AuthState } from './gatewayAuth.js';
import { openForward } from './gatewayForward.js';
import type { Forward } from './gatewayForward.js';
import { GatewaySession } from './gatewaySession.js';

/** Like OpenSSH's LoginGraceTime: a client that has not authenticated by then is dropped. */
export const LOGIN_GRACE_MS = 60_000;
/** How long a stopping workspace's sessions get to deliver their goodbye before the cut. */
const STOP_FLUSH_MS = 5_000;

export interface ConnectionDeps {
  backend: GatewayBackend;
  log: (msg: string) => void;
  /** `ip port` of the gateway's own end, for SSH_CONNECTION. */
  localAddress: string;
  sftpServerPaths: readonly string[];
  /** Ports no forward may reach whatever a workspace declares: the gateway's and the control plane's. */
  ownPorts: () => readonly number[];
}

export class GatewayConnection {
  workspaceId: string | undefined;
  /** The key this connection authenticated with. */
  keyBlob: Buffer | undefined;
  private readonly sessions = new Set<GatewaySession>();
  private readonly forwards = new Set<Forward>();
  private readonly peer: string;
  private user = '';
  private ended = false;

  constructor(
    private readonly client: Connection,
    info: ClientInfo,
    private readonly deps: ConnectionDeps,
    /** The TCP socket under `client`, to cut it if a polite end is ignored. */
    private readonly socket: net.Socket | undefined,
    onClose: () => void,
  ) {
    const { backend, log } = deps;
    this.peer = `${info.ip}:${info.port}`;
    const auth: AuthState = { failures: 0 };
    const grace = setTimeout(() => {
      log(`gateway: ${this.peer} did not authenticate within ${LOGIN_GRACE_MS / 1000} s; disconnecting`);
      this.end();
    }, LOGIN_GRACE_MS);
    grace.unref();

    client.on('error', (err: Error & { level?: string }) => {
      // Resets and garbage from a client are its business; note them, never throw.
      log(`gateway: connection ${this.peer}: ${err.level ? `${err.level}: ` : ''}${err.message}`);
    });
    client.on('authentication', (ctx) => {
      this.user = ctx.username;
      const outcome = handleAuth(ctx, backend, auth, log, this.peer);
      if (outcome.workspaceId) {
        this.workspaceId = outcome.workspaceId;
        this.keyBlob = outcome.keyBlob;
      }
      if (outcome.giveUp) {
        log(`gateway: ${this.peer}: too many failed authentication attempts; disconnecting`);
        this.end();
      }
    });
    client.on('ready', () => clearTimeout(grace));
    client.on('session', (accept, reject) => {
      if (!this.workspace()) return reject();
      const session = accept();
      if (!session) return;
      const s: GatewaySession = new GatewaySession(
        session,
        {
          workspace: () => this.workspace(),
          log,
          label: this.label(),
          sshConnection: `${info.ip} ${info.port} ${deps.localAddress}`,
          sftpServerPaths: deps.sftpServerPaths,
        },
        () => this.sessions.delete(s),
      );
      this.sessions.add(s);
    });
    client.on('tcpip', (accept, reject, req) => {
      const ws = this.workspace();
      if (!ws) return reject();
      const allowed = (port: number) =>
        (ws.ports === 'any' || ws.ports.includes(port)) && !deps.ownPorts().includes(port);
      const fwd = openForward(accept, reject, req, allowed, log, this.label(), () => {
        if (fwd) this.forwards.delete(fwd);
      });
      if (fwd) this.forwards.add(fwd);
    });
    client.on('request', (_accept, reject, name) => {
      log(`gateway: refused global request ${JSON.stringify(String(name))} for ${this.label()}`);
      reject?.();
    });
    client.on('close', () => {
      clearTimeout(grace);
      this.ended = true;
      this.dispose();
      onClose();
    });
  }

  private label(): string {
    return `${JSON.stringify(this.user)}@${this.peer}`;
  }

  private workspace() {
    const ws = this.workspaceId ? this.deps.backend.workspace(this.workspaceId) : undefined;
    return ws?.running ? ws : undefined;
  }

  /** The workspace stopped: tell each session why, then close everything and disconnect. */
  stopWorkspace(name: string): Promise<void> {
    return this.closeWith(`runcode: workspace ${name} stopped; closing this session\n`);
  }

  /** Its pass was revoked (disconnect, sign-out): the same, with that reason. */
  passRevoked(name: string): Promise<void> {
    return this.closeWith(
      `runcode: the pass for this connection to ${name} was revoked (disconnected or signed out); closing it\n`,
    );
  }

  private async closeWith(message: string): Promise<void> {
    const goodbyes = Promise.all([...this.sessions].map((s) => s.stop(message)));
    await Promise.race([goodbyes, new Promise((r) => setTimeout(r, STOP_FLUSH_MS).unref())]);
    this.end();
  }

  /** Kills commands and drops forwards (no goodbye). */
  dispose(): void {
    for (const s of this.sessions) s.kill();
    for (const f of [...this.forwards]) f.destroy();
    this.sessions.clear();
    this.forwards.clear();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.dispose();
    try {
      this.client.end();
    } catch {
      // the socket is already gone
    }
    // A client that ignores the disconnect message would otherwise keep its socket forever.
    const socket = this.socket;
    if (socket) setTimeout(() => socket.destroy(), STOP_FLUSH_MS).unref();
  }
}
