// Counts timer callbacks in this process: setTimeout and setInterval are wrapped (before the code
// under test runs), each callback attributed to where its timer was created (the first frame in
// src/ or a node_modules package). Node's internal timers (socket timeouts) are not seen here;
// main-thread context switches (/proc) count every wakeup, timers and I/O alike.
import fs from 'node:fs';

export interface TimerFire {
  at: number;
  origin: string;
}

const fires: TimerFire[] = [];
let counting = false;

function origin(stack: string | undefined): string {
  for (const line of (stack ?? '').split('\n').slice(2)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.+?):(\d+)/.exec(line);
    if (pkg) return `${pkg[1]}/${pkg[2]!.split('/').pop()}:${pkg[3]}`;
    const src = /\/(src\/[^:]+):(\d+)/.exec(line);
    if (src) return `${src[1]}:${src[2]}`;
  }
  return 'other';
}

type TimerFn = (cb: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => unknown;

function wrap(name: 'setTimeout' | 'setInterval'): void {
  const g = globalThis as unknown as Record<string, TimerFn>;
  const orig = g[name]!;
  const wrapped: TimerFn = (cb, ms, ...args) => {
    if (typeof cb !== 'function') return orig(cb, ms, ...args);
    const where = origin(new Error().stack);
    return orig(
      (...a: unknown[]) => {
        if (counting) fires.push({ at: performance.now(), origin: where });
        cb(...a);
      },
      ms,
      ...args,
    );
  };
  // Keep util.promisify(setTimeout) and friends working.
  Object.assign(wrapped, orig);
  g[name] = wrapped;
}

export function installTimerCounter(): void {
  wrap('setTimeout');
  wrap('setInterval');
}

export function startCounting(): void {
  fires.length = 0;
  counting = true;
}

export function stopCounting(): TimerFire[] {
  counting = false;
  return [...fires];
}

/** Callbacks that ran in the same turn of the event loop (within 1 ms) are one wakeup. */
export function wakeups(list: readonly TimerFire[]): number {
  let n = 0;
  let last = -Infinity;
  for (const f of list) {
    if (f.at - last > 1) n++;
    last = f.at;
  }
  return n;
}

/** Voluntary context switches of this process's main thread (Linux); NaN elsewhere. */
export function mainThreadSwitches(): number {
  try {
    const s = fs.readFileSync(`/proc/self/task/${process.pid}/status`, 'utf8');
    return Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(s)?.[1]);
  } catch {
    return Number.NaN;
  }
}

/** CPU (user + system) of this process's main thread in ms (Linux); NaN elsewhere. */
export function mainThreadCpuMs(): number {
  try {
    const f = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) / 100) * 1000; // clock ticks at 100 Hz
  } catch {
    return Number.NaN;
  }
}
