// One ssh2 connection per workspace, kept open across tool calls (a handshake per `exec` would
// cost more than most commands). A link is replaced when the workspace's pass was renewed or the
// connection dropped; one still in use is closed once its last user is done.
import type { Client } from 'ssh2';
import type { RuncodeApp } from '../../core/app/runcodeApp.js';
import { RuncodeError } from '../../core/errors.js';
import { connectSsh, mapSshError } from '../../core/ssh/sshConnection.js';
import type { ConnectionRecord } from '../../core/state/connectionStore.js';
import { ensureConnected, notRunning } from '../ensureConnected.js';

interface Link {
  client: Client;
  /** The pass it authenticated with. */
  expiresAt: string;
  users: number;
  closed: boolean;
  retired: boolean;
  lost?: RuncodeError;
}

export class SshLinks {
  private readonly links = new Map<string, Link>();
  private readonly opening = new Map<string, Promise<Link>>();
  private disposed = false;

  constructor(private readonly app: RuncodeApp) {}

  /** Runs `fn` over the workspace's link, (re)connecting the workspace or the link first when needed. */
  async use<T>(name: string, fn: (client: Client, rec: ConnectionRecord) => Promise<T>): Promise<T> {
    const rec = await ensureConnected(this.app, name);
    const link = await this.link(name, rec);
    link.users++;
    try {
      return await fn(link.client, rec);
    } catch (e) {
      throw link.lost && !(e instanceof RuncodeError) ? link.lost : e;
    } finally {
      link.users--;
      if (link.retired && link.users === 0) link.client.end();
    }
  }

  /** Closes the workspace's link (after a stop or disconnect). */
  drop(name: string): void {
    const link = this.links.get(name);
    if (link) this.retire(name, link);
  }

  dispose(): void {
    this.disposed = true;
    for (const link of this.links.values()) link.client.end();
    this.links.clear();
  }

  private async link(name: string, rec: ConnectionRecord): Promise<Link> {
    if (this.disposed) throw new RuncodeError('cancelled', 'the MCP server is shutting down');
    const current = this.links.get(name);
    if (current && !current.closed && current.expiresAt === rec.pass.expiresAt) return current;
    if (current) this.retire(name, current);
    let pending = this.opening.get(name);
    if (!pending) {
      pending = this.open(name, rec).finally(() => this.opening.delete(name));
      this.opening.set(name, pending);
    }
    return pending;
  }

  private async open(name: string, rec: ConnectionRecord): Promise<Link> {
    const target = await this.app.connections.target(name);
    const client = await connectSsh(target).catch(async (e: unknown) => {
      // A stopped workspace shows as a refused key at the gateway; say what is really wrong.
      throw (await notRunning(this.app, name)) ?? e;
    });
    const link: Link = { client, expiresAt: rec.pass.expiresAt, users: 0, closed: false, retired: false };
    // connectSsh leaves a no-op 'error' listener; this keeps the reason for a later failure.
    client.on('error', (e) => (link.lost = mapSshError(e, target)));
    client.on('close', () => {
      link.closed = true;
      if (this.links.get(name) === link) this.links.delete(name);
    });
    if (this.disposed) {
      client.end();
      throw new RuncodeError('cancelled', 'the MCP server is shutting down');
    }
    this.links.set(name, link);
    return link;
  }

  private retire(name: string, link: Link): void {
    link.retired = true;
    if (this.links.get(name) === link) this.links.delete(name);
    if (link.users === 0) link.client.end();
  }
}
