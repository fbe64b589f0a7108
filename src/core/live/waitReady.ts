// "Ready" means the workspace is `running` AND an SSH handshake with the current pass succeeds
// through the gateway: `running` alone can precede the moment the gateway answers for it, and
// a user who clicks "open" then must not meet a refused connection. The caller supplies the
// handshake (core's SSH code, with the pinned host key); this waits for both, with a deadline
// and the last reason it was not ready yet.
import type { Workspace, WorkspaceState } from '../../shared/protocol.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { RuncodeError } from '../errors.js';

/** What waitUntilReady needs of a WorkspaceFeed. */
export interface FeedLike {
  get(id: string): Workspace | undefined;
  subscribe(listener: () => void): () => void;
}

export interface ReadyProgress {
  phase: 'waiting' | 'probing' | 'ready';
  state: WorkspaceState | undefined;
  reason: string;
}

export interface WaitReadyOptions {
  /** Watch a live feed for workspace `id` (woken by its changes)... */
  feed?: FeedLike;
  id?: string;
  /** ...or ask for the workspace each round (e.g. ApiClient.getWorkspace). */
  getWorkspace?: () => Workspace | undefined | Promise<Workspace | undefined>;
  /** One SSH handshake through the gateway; resolves when it succeeded. */
  probe: (signal: AbortSignal) => Promise<void>;
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (p: ReadyProgress) => void;
  clock?: Clock;
  /** Pause between rounds (re-reading the state, retrying the handshake). Default 1 000. */
  retryMs?: number;
  /** A workspace that is still `stopped` after this long was never started. Default 10 000. */
  stoppedGraceMs?: number;
}

const FATAL_READ = new Set(['unauthorized', 'not_signed_in', 'not_found', 'forbidden']);

export async function waitUntilReady(o: WaitReadyOptions): Promise<Workspace> {
  const clock = o.clock ?? systemClock;
  const retryMs = o.retryMs ?? 1_000;
  const graceMs = o.stoppedGraceMs ?? 10_000;
  const begin = clock.monotonic();
  const deadline = begin + o.timeoutMs;
  const read = readerFor(o);
  const ac = new AbortController();
  const onAbort = () => ac.abort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  let reason = 'the workspace state is not known yet';
  let sawProgress = false;
  let lastReport = '';
  const report = (phase: ReadyProgress['phase'], state: WorkspaceState | undefined) => {
    const key = `${phase}|${state}|${reason}`;
    if (key !== lastReport) o.onProgress?.({ phase, state, reason });
    lastReport = key;
  };
  try {
    for (;;) {
      if (ac.signal.aborted) throw new RuncodeError('cancelled', 'stopped waiting for the workspace');
      if (clock.monotonic() >= deadline) break;
      let ws: Workspace | undefined;
      try {
        ws = await read();
      } catch (e) {
        // A lost answer is a reason to try again; being signed out or the workspace gone is not.
        if (e instanceof RuncodeError && FATAL_READ.has(e.code)) throw e;
        reason = `could not read the workspace state: ${e instanceof Error ? e.message : String(e)}`;
        report('waiting', undefined);
        await pause(clock, Math.min(retryMs, Math.max(0, deadline - clock.monotonic())), ac.signal, o.feed);
        continue;
      }
      const state = ws?.state;
      if (state === 'starting' || state === 'running') sawProgress = true;
      if (state === 'failed') {
        const why = ws?.stateReason ? `: ${ws.stateReason}` : '';
        throw new RuncodeError('start_failed', `the workspace failed to start${why}`);
      }
      if ((state === 'stopped' || state === 'stopping') && sawProgress) {
        throw new RuncodeError('start_failed', `the workspace is ${state} (it was stopped while starting)`);
      }
      if (state === 'stopped' && clock.monotonic() - begin >= graceMs) {
        throw new RuncodeError('start_failed', 'the workspace is stopped; start it first');
      }
      if (state === 'running') {
        const before = reason;
        reason = 'checking that the gateway answers';
        report('probing', state);
        try {
          await withDeadline(o.probe(ac.signal), clock, deadline - clock.monotonic(), ac);
          reason = 'the workspace is running and answers over SSH';
          report('ready', state);
          return ws!;
        } catch (e) {
          if (o.signal?.aborted) throw new RuncodeError('cancelled', 'stopped waiting for the workspace');
          if (e instanceof DeadlineError) {
            reason = before.startsWith('the gateway did not answer')
              ? before
              : 'the gateway did not answer in time';
            break;
          }
          reason = `the gateway did not answer: ${e instanceof Error ? e.message : String(e)}`;
        }
      } else {
        reason =
          ws === undefined
            ? 'the workspace is not listed (yet)'
            : `the workspace is still ${state ?? 'unknown'}`;
      }
      report('waiting', state);
      await pause(clock, Math.min(retryMs, Math.max(0, deadline - clock.monotonic())), ac.signal, o.feed);
    }
    throw new RuncodeError(
      'not_ready',
      `the workspace was not ready within ${Math.round(o.timeoutMs / 1000)} s: ${reason}`,
    );
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    ac.abort();
  }
}

function readerFor(o: WaitReadyOptions): () => Promise<Workspace | undefined> {
  if (o.feed) {
    const { feed, id } = o;
    if (id === undefined)
      throw new RuncodeError('invalid_argument', 'waitUntilReady needs the workspace id with a feed');
    return async () => feed.get(id);
  }
  if (o.getWorkspace) {
    const get = o.getWorkspace;
    return async () => get();
  }
  throw new RuncodeError('invalid_argument', 'waitUntilReady needs a feed or getWorkspace');
}

class DeadlineError extends Error {}

/**
 * Races `p` against the deadline and the caller's abort; either tells the probe to give up, and
 * a probe that ignores its signal is not waited for.
 */
function withDeadline(p: Promise<void>, clock: Clock, ms: number, ac: AbortController): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (fn: () => void) => {
      cancel();
      ac.signal.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () =>
      settle(() => reject(new RuncodeError('cancelled', 'stopped waiting for the workspace')));
    const cancel = clock.setTimer(() => {
      settle(() => reject(new DeadlineError('deadline')));
      ac.abort();
    }, ms);
    ac.signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      () => settle(resolve),
      (e: unknown) => settle(() => reject(e)),
    );
  });
}

/** Sleeps `ms`, cut short by an abort or (with a feed) by any change the feed reports. */
function pause(clock: Clock, ms: number, signal: AbortSignal, feed: FeedLike | undefined): Promise<void> {
  return new Promise((resolve) => {
    let unsubscribe = () => {};
    const done = () => {
      cancel();
      unsubscribe();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const cancel = clock.setTimer(done, ms);
    signal.addEventListener('abort', done, { once: true });
    if (feed) unsubscribe = feed.subscribe(done);
  });
}
