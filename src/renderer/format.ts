// Small, pure formatting helpers for the popover (bytes, relative times, traffic).
import type { ForwardView } from '../shared/contract.js';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** `0 B`, `512 B`, `1.5 KB`, `12 MB`: one decimal below 10, none above. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return '0 B';
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  const rounded = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  // 1023.96 KB rounds to 1024 KB: say 1 MB instead.
  if (rounded >= 1024 && unit < UNITS.length - 1) return `1 ${UNITS[unit + 1]}`;
  return `${rounded} ${UNITS[unit]}`;
}

function parse(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

function span(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} d`;
}

/** `just now`, `5 min ago`, `3 h ago`; '' when the time cannot be read. */
export function formatAgo(iso: string | undefined, now: number): string {
  const t = parse(iso);
  if (t === undefined) return '';
  const d = now - t;
  if (d < 45_000) return 'just now';
  return `${span(d)} ago`;
}

/** `in 25 min`, `expired`; '' when unknown. */
export function formatExpiresIn(iso: string | undefined, now: number): string {
  const t = parse(iso);
  if (t === undefined) return '';
  const d = t - now;
  if (d <= 0) return 'expired';
  return `in ${span(d)}`;
}

/** `↓ 1.2 KB · ↑ 300 B · 2 connections` for an active forward. */
export function formatTraffic(f: Pick<ForwardView, 'bytesIn' | 'bytesOut' | 'connections'>): string {
  const conns = f.connections === 1 ? '1 connection' : `${f.connections} connections`;
  return `↓ ${formatBytes(f.bytesIn)} · ↑ ${formatBytes(f.bytesOut)} · ${conns}`;
}
