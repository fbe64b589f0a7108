// What every figure group reports: rows of (figure, ours, reference, ratio, target, met?), each
// number a median with its spread over rounds. A group runs as its own process (bench/run.ts
// spawns it, so timers, RSS and CPU are its own); it prints its table when run alone, or writes
// its rows as JSON to $BENCH_OUT for run.ts to gather into one table.
import fs from 'node:fs';

/** A median over rounds and the spread (min-max) around it. */
export interface Measure {
  median: number;
  min: number;
  max: number;
  unit: string;
  /** Rounds (or samples) behind the median. */
  n: number;
  digits?: number;
}

export interface Row {
  figure: string;
  ours: Measure | string;
  /** What ours is compared with, named in the figure; none where there is nothing to compare. */
  reference?: Measure | string;
  /** ours / reference (computed from the medians when both are Measures). */
  ratio?: number;
  target: string;
  /** Whether the target was met; null when the row has no target (a part, a context figure). */
  met: boolean | null;
  /** How it was measured, or what limits it; printed under the table. */
  note?: string;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function measure(xs: readonly number[], unit: string, digits?: number): Measure {
  return {
    median: median(xs),
    min: Math.min(...xs),
    max: Math.max(...xs),
    unit,
    n: xs.length,
    ...(digits !== undefined ? { digits } : {}),
  };
}

/** One value (a count, a single run): no spread. */
export function single(x: number, unit: string, digits?: number): Measure {
  return measure([x], unit, digits);
}

function autoDigits(x: number): number {
  const a = Math.abs(x);
  return a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
}

export function fmtNum(x: number, digits = autoDigits(x)): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '-';
}

export function fmtMeasure(m: Measure | string | undefined): string {
  if (m === undefined) return '-';
  if (typeof m === 'string') return m;
  const d = m.digits ?? autoDigits(m.median);
  const unit = m.unit ? ` ${m.unit}` : '';
  if (m.n <= 1 || m.min === m.max) return `${fmtNum(m.median, d)}${unit}`;
  return `${fmtNum(m.median, d)}${unit} (${fmtNum(m.min, d)}-${fmtNum(m.max, d)})`;
}

export function ratioOf(row: Row): number | undefined {
  if (row.ratio !== undefined) return row.ratio;
  if (typeof row.ours === 'object' && typeof row.reference === 'object' && row.reference.median !== 0)
    return row.ours.median / row.reference.median;
  return undefined;
}

export function printTable(rows: string[][], out: (line: string) => void = (l) => console.log(l)): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const r of rows)
    out(
      r
        .map((cell, c) => (cell ?? '').padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    );
}

/** The table of rows, with their notes numbered under it. */
export function printRows(rows: readonly Row[], out: (line: string) => void = (l) => console.log(l)): void {
  const notes: string[] = [];
  const cells = rows.map((r) => {
    let figure = r.figure;
    if (r.note) {
      notes.push(r.note);
      figure += ` [${notes.length}]`;
    }
    const ratio = ratioOf(r);
    return [
      figure,
      fmtMeasure(r.ours),
      fmtMeasure(r.reference),
      ratio === undefined ? '-' : `${ratio.toFixed(2)}x`,
      r.target,
      r.met === null ? '-' : r.met ? 'yes' : 'NO',
    ];
  });
  printTable([['figure', 'ours', 'reference', 'ratio', 'target', 'met?'], ...cells], out);
  if (notes.length) out('');
  notes.forEach((n, i) => out(`[${i + 1}] ${n}`));
}

/** Runs a figure group: prints its table, or hands its rows to run.ts via $BENCH_OUT. */
export async function figureMain(group: string, run: () => Promise<Row[]>): Promise<void> {
  try {
    const rows = await run();
    if (process.env.BENCH_OUT) fs.writeFileSync(process.env.BENCH_OUT, JSON.stringify(rows));
    else {
      console.log(`\n${group}:`);
      printRows(rows);
    }
  } catch (e) {
    process.stderr.write(
      `bench ${group} crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exitCode = 1;
  }
}

/** Progress on stderr (the table goes to stdout). */
export function progress(line: string): void {
  process.stderr.write(`  ${line}\n`);
}

/** `--name value` from argv, else env BENCH_NAME (upper case, '-' -> '_'), else the default. */
export function option(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && process.argv[i + 1] !== undefined) return process.argv[i + 1]!;
  const env = process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  return env ?? def;
}

export function numberOption(name: string, def: number): number {
  const v = Number(option(name, String(def)));
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a number, got ${option(name, '')}`);
  return v;
}

export function parseBytes(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|KB|MB|GB)?$/i.exec(s.trim());
  if (!m) throw new Error(`not a size: ${s}`);
  const mult: Record<string, number> = {
    b: 1,
    kib: 1024,
    mib: 1024 ** 2,
    gib: 1024 ** 3,
    kb: 1e3,
    mb: 1e6,
    gb: 1e9,
  };
  return Math.round(Number(m[1]) * mult[(m[2] ?? 'B').toLowerCase()]!);
}

/** Process CPU (user + system) in ms since `from` (a process.cpuUsage() value). */
export function cpuMs(from?: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
}

/** utime+stime of a process in microseconds (Linux /proc); NaN elsewhere. */
/** VmHWM (peak RSS) of a live process in MB; NaN where /proc is missing. */
export function peakRss(pid: number | undefined): number {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(s)?.[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

export function procCpuUs(pid: number | undefined): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) / 100) * 1e6; // fields 14, 15 in clock ticks (100 Hz)
  } catch {
    return Number.NaN;
  }
}
