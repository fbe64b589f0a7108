// Make-before-break for a workspace's shared connection: how many channels each ssh2 client has
// open, so a replaced client is ended once its last channel closes (a download in flight on the
// old connection runs to its end).
import type { Client } from 'ssh2';

export class ClientChannels {
  private readonly open = new Map<Client, number>();
  private readonly retiring = new Set<Client>();

  /** `onIdle`: the last channel of a client that is not retiring closed. */
  constructor(private readonly onIdle: (client: Client) => void = () => undefined) {}

  /** Channels open on `client`. */
  count(client: Client): number {
    return this.open.get(client) ?? 0;
  }

  /** Counts a channel on `client`; the returned release (safe to call twice) uncounts it. */
  hold(client: Client): () => void {
    this.open.set(client, (this.open.get(client) ?? 0) + 1);
    return once(() => this.release(client));
  }

  /** `client` was replaced: ended now when idle, else when its last channel closes. */
  retire(client: Client): void {
    if ((this.open.get(client) ?? 0) === 0) void endClient(client);
    else this.retiring.add(client);
  }

  /** `client` closed: nothing more to count or end. */
  forget(client: Client): void {
    this.open.delete(client);
    this.retiring.delete(client);
  }

  /** The replaced clients still draining, handed over to be ended (on dispose). */
  takeRetiring(): Client[] {
    const clients = [...this.retiring];
    this.retiring.clear();
    return clients;
  }

  private release(client: Client): void {
    const n = (this.open.get(client) ?? 1) - 1;
    this.open.set(client, n);
    if (n > 0) return;
    if (this.retiring.delete(client)) void endClient(client);
    else this.onIdle(client);
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

/** Ends politely, then for sure: a dead peer must not keep a socket (or the process) alive. */
export function endClient(client: Client): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      client.destroy();
      resolve();
    }, 1_000);
    t.unref();
    client.once('close', () => {
      clearTimeout(t);
      resolve();
    });
    client.end();
  });
}
