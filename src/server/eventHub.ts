// GET /api/v1/events: workspace changes as Server-Sent Events. Each event has an `id:`; a client
// that reconnects with Last-Event-ID gets what it missed from a bounded ring buffer, or the full
// current state when its id is too old (or unknown). A comment heartbeat keeps proxies talking.
import type http from 'node:http';
import type { Workspace } from '../shared/protocol.js';
import type { ServerStore, WorkspaceChange } from './serverStore.js';

export interface EventHubOptions {
  /** Default 15 000 (protocol v1); tests make it short. */
  heartbeatMs: number;
  /** How many past events a resuming client can be given. */
  bufferSize: number;
}

interface Client {
  res: http.ServerResponse;
  tokenHash: string;
}

/** A client this far behind on writes is dropped rather than buffered without end. */
const MAX_PENDING_BYTES = 1 << 20;

const frame = (id: number, w: Workspace) => `id: ${id}\nevent: workspace\ndata: ${JSON.stringify(w)}\n\n`;

export class EventHub {
  private readonly ring: WorkspaceChange[] = [];
  private readonly clients = new Set<Client>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: ServerStore,
    private readonly opts: EventHubOptions,
  ) {
    this.unsubscribe = store.onChange((c) => this.publish(c));
    this.heartbeat = setInterval(() => this.broadcast(': heartbeat\n\n'), opts.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Takes over an authenticated request as an event stream. */
  attach(req: http.IncomingMessage, res: http.ServerResponse, tokenHash: string): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    const client: Client = { res, tokenHash };
    this.clients.add(client);
    // The response's close: the client went away (or we ended the stream).
    res.on('close', () => this.clients.delete(client));
    res.write('retry: 2000\n\n');
    this.catchUp(res, req.headers['last-event-id']);
  }

  private catchUp(res: http.ServerResponse, header: string | string[] | undefined): void {
    const latest = this.store.lastEventId;
    const last =
      typeof header === 'string' && /^\d{1,15}$/.test(header.trim()) ? Number(header.trim()) : undefined;
    if (last === latest) return;
    const oldest = this.ring[0]?.id;
    if (last !== undefined && last < latest && oldest !== undefined && oldest <= last + 1) {
      for (const c of this.ring) if (c.id > last) res.write(frame(c.id, c.workspace));
      return;
    }
    // First connect, or too far behind to replay: the current state of every workspace.
    for (const w of this.store.list()) res.write(frame(latest, w));
  }

  private publish(c: WorkspaceChange): void {
    this.ring.push(c);
    while (this.ring.length > this.opts.bufferSize) this.ring.shift();
    this.broadcast(frame(c.id, c.workspace));
  }

  private broadcast(text: string): void {
    for (const c of this.clients) {
      if (c.res.writableLength > MAX_PENDING_BYTES) this.drop(c);
      else c.res.write(text);
    }
  }

  private drop(c: Client): void {
    this.clients.delete(c);
    c.res.end();
  }

  /** Ends the streams opened with a token that has just been revoked. */
  closeToken(tokenHash: string): void {
    for (const c of this.clients) if (c.tokenHash === tokenHash) this.drop(c);
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    for (const c of this.clients) this.drop(c);
  }
}
