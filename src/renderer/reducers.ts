// Pure state transitions behind the store: the optimistic start/stop view, upserts, selection.
// Kept DOM-free and framework-free so they are unit-tested under Node.
import type { ForwardView, WorkspaceView } from '../shared/contract.js';
import type { WorkspaceState } from '../shared/protocol.js';

/** Start/stop requests this popover made and has not heard back on, by workspace name. */
export type Overlay = Readonly<Record<string, 'start' | 'stop'>>;

/** From which server states an optimistic action shows its in-between state. */
const SHOWS: Record<'start' | 'stop', { from: readonly WorkspaceState[]; as: WorkspaceState }> = {
  start: { from: ['stopped', 'failed'], as: 'starting' },
  stop: { from: ['running', 'starting'], as: 'stopping' },
};

/**
 * The list as the user should see it: core's, with the starts and stops this popover asked for
 * and core has not answered yet (so the row says Starting at once, not after the round trip),
 * where the server has not moved yet. Same array back when there is nothing to apply.
 */
export function applyOverlay(list: readonly WorkspaceView[], overlay: Overlay): readonly WorkspaceView[] {
  const names = Object.keys(overlay);
  if (names.length === 0) return list;
  let out: WorkspaceView[] | undefined;
  list.forEach((ws, i) => {
    const action = overlay[ws.name];
    if (!action) return;
    const rule = SHOWS[action];
    const state = rule.from.includes(ws.state) ? rule.as : ws.state;
    if (state === ws.state && ws.pending === action) return;
    out ??= list.slice();
    out[i] = { ...ws, state, pending: action };
  });
  return out ?? list;
}

/** The busy key of a start or stop in flight (popoverUi.ts `busy`). */
export function transitionKey(action: 'start' | 'stop', name: string): string {
  return `${action}:${name}`;
}

/** The starts and stops in flight among the busy keys (a handful at most). */
export function requestedTransitions(busy: Readonly<Record<string, true>>): Overlay {
  let out: Record<string, 'start' | 'stop'> | undefined;
  for (const key of Object.keys(busy)) {
    const colon = key.indexOf(':');
    const action = key.slice(0, colon);
    if (action === 'start' || action === 'stop') (out ??= {})[key.slice(colon + 1)] = action;
  }
  return out ?? NO_OVERLAY;
}

const NO_OVERLAY: Overlay = {};

/** Replace the workspace of the same name (or append it). */
export function upsertWorkspace(list: readonly WorkspaceView[], ws: WorkspaceView): WorkspaceView[] {
  const i = list.findIndex((w) => w.name === ws.name);
  if (i < 0) return [...list, ws];
  const out = list.slice();
  out[i] = ws;
  return out;
}

export function forwardKey(f: Pick<ForwardView, 'workspace' | 'remotePort'>): string {
  return `${f.workspace}:${f.remotePort}`;
}

export function upsertForward(list: readonly ForwardView[], f: ForwardView): ForwardView[] {
  const key = forwardKey(f);
  const i = list.findIndex((x) => forwardKey(x) === key);
  if (i < 0) return [...list, f];
  const out = list.slice();
  out[i] = f;
  return out;
}

/** A workspace's ports: those it declares, plus forwards the user added, sorted by port. */
export interface PortRow {
  remotePort: number;
  label?: string;
  forward?: ForwardView;
}

export function portRows(ws: WorkspaceView, forwards: readonly ForwardView[]): PortRow[] {
  const rows = new Map<number, PortRow>();
  for (const p of ws.ports) rows.set(p.port, { remotePort: p.port, ...(p.label ? { label: p.label } : {}) });
  for (const f of forwards) {
    if (f.workspace !== ws.name) continue;
    const row = rows.get(f.remotePort) ?? { remotePort: f.remotePort };
    const label = row.label ?? f.label;
    rows.set(f.remotePort, { ...row, ...(label ? { label } : {}), forward: f });
  }
  return [...rows.values()].sort((a, b) => a.remotePort - b.remotePort);
}

/**
 * Moves the selection by `delta` within the visible names, clamped at both ends. With nothing
 * selected (or the selection filtered away), Down picks the first row and Up the last.
 */
export function moveSelection(
  visible: readonly { name: string }[],
  selected: string | undefined,
  delta: number,
): string | undefined {
  if (visible.length === 0) return undefined;
  const i = selected === undefined ? -1 : visible.findIndex((w) => w.name === selected);
  if (i < 0) return (delta >= 0 ? visible[0] : visible[visible.length - 1])?.name;
  const j = Math.min(visible.length - 1, Math.max(0, i + delta));
  return visible[j]?.name;
}

export function isBusyState(state: WorkspaceState): boolean {
  return state === 'starting' || state === 'stopping';
}
