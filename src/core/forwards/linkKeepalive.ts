// One keepalive for every SSH connection the forwards keep, instead of ssh2's timer per
// connection (with 5 connections that was 20 of an idle tray's 23 timer wakeups a minute, and it
// took 45-60 s to notice a gateway that stopped answering). Each tick checks that every
// connection answered the previous tick's ping (a `keepalive@openssh.com` global request, as
// OpenSSH's ServerAliveInterval sends), declares the ones that did not dead, and pings again.
// The tray drives ticks from the event stream's heartbeat (`tick()`), so an idle tray adds no
// wakeup of its own; the timer here only runs when no one ticks (the CLI's port-forward), and
// each tick pushes it back. The round trip of the last answered ping is kept (`rttMs`): link
// health for whoever shows it.
import type { Client } from 'ssh2';
import type { Clock } from '../clock.js';

/** How often to ping when no one else ticks: the server's SSE heartbeat interval. */
export const KEEPALIVE_TICK_MS = 15_000;

export interface LinkHealth {
  /** Round trip of the last answered ping, ms; undefined before the first answer. */
  rttMs: number | undefined;
  /** Monotonic ms of the last answer (or of registration). */
  lastAnswerAt: number;
}

interface Watched {
  onDead(reason: string): void;
  onAnswer?: (rttMs: number) => void;
  /** Monotonic send time of the unanswered ping, if one is out. */
  pendingSince: number | undefined;
  health: LinkHealth;
}

/**
 * Sends one keepalive ping over `client` and calls `onReply` when the gateway answers (either
 * answer: a reply of any kind proves it alive). ssh2 has no public call for this; it is what its
 * own keepalive does (client.js: `callbacks.push(resetKA); proto.ping()`), on the same internals.
 * Returns false when those internals are not there (a changed ssh2), so the caller can fall back.
 */
export function pingSsh(client: Client, onReply: () => void): boolean {
  const c = client as unknown as {
    _callbacks?: Array<(err?: unknown) => void>;
    _protocol?: { ping?: () => void };
    _sock?: { writable?: boolean };
  };
  if (!Array.isArray(c._callbacks) || typeof c._protocol?.ping !== 'function') return false;
  if (!c._sock?.writable) return true; // closing anyway: its 'close' reports it
  // Replies arrive in request order; the callback keeps that order for everyone else's requests.
  c._callbacks.push(() => onReply());
  c._protocol.ping();
  return true;
}

/** True when this ssh2 can be pinged by pingSsh (checked once per client). */
export function canPing(client: Client): boolean {
  const c = client as unknown as { _callbacks?: unknown; _protocol?: { ping?: unknown } };
  return Array.isArray(c._callbacks) && typeof c._protocol?.ping === 'function';
}

export class LinkKeepalive {
  private readonly watched = new Map<Client, Watched>();
  private cancelTimer: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs = KEEPALIVE_TICK_MS,
  ) {}

  /** Watches `client` until the returned function is called; `onDead` when it stops answering. */
  watch(client: Client, onDead: (reason: string) => void, onAnswer?: (rttMs: number) => void): () => void {
    this.watched.set(client, {
      onDead,
      ...(onAnswer ? { onAnswer } : {}),
      pendingSince: undefined,
      health: { rttMs: undefined, lastAnswerAt: this.clock.monotonic() },
    });
    if (!this.cancelTimer) this.arm();
    return () => {
      this.watched.delete(client);
      if (this.watched.size === 0) this.disarm();
    };
  }

  health(client: Client): LinkHealth | undefined {
    const w = this.watched.get(client);
    return w ? { ...w.health } : undefined;
  }

  /** Checks the answers to the last ping and pings again (call it on each SSE heartbeat). */
  tick(): void {
    const now = this.clock.monotonic();
    for (const [client, w] of [...this.watched]) {
      if (w.pendingSince !== undefined) {
        const waited = Math.round((now - w.pendingSince) / 1000);
        this.watched.delete(client);
        w.onDead(`the gateway stopped answering (no keepalive reply in ${waited} s)`);
        continue;
      }
      const sent = now;
      w.pendingSince = sent;
      pingSsh(client, () => {
        // Only the answer to the ping still out counts.
        if (w.pendingSince !== sent) return;
        w.pendingSince = undefined;
        const at = this.clock.monotonic();
        w.health = { rttMs: at - sent, lastAnswerAt: at };
        w.onAnswer?.(at - sent);
      });
    }
    if (this.watched.size === 0) this.disarm();
    else this.arm();
  }

  dispose(): void {
    this.watched.clear();
    this.disarm();
  }

  /** (Re)starts the fallback timer: a tick from outside pushes it back, so it fires only without one. */
  private arm(): void {
    this.cancelTimer?.();
    // A little over the interval: when heartbeats drive tick(), this never fires.
    this.cancelTimer = this.clock.setTimer(() => {
      this.cancelTimer = undefined;
      this.tick();
    }, this.intervalMs + 1_000);
  }

  private disarm(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }
}
