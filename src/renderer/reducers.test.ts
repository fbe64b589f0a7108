import { describe, it, expect } from 'vitest';
import {
  applyOverlay,
  moveSelection,
  portRows,
  upsertForward,
  upsertWorkspace,
  requestedTransitions,
} from './reducers.js';
import { workspace } from './testing/workspace.js';
import type { ForwardView } from '../shared/contract.js';

const fwd = (workspace: string, remotePort: number, extra: Partial<ForwardView> = {}): ForwardView => ({
  workspace,
  remotePort,
  enabled: true,
  state: 'active',
  connections: 0,
  bytesIn: 0,
  bytesOut: 0,
  ...extra,
});

describe('applyOverlay', () => {
  const list = [workspace('a', 'stopped'), workspace('b', 'running'), workspace('c', 'running')];
  it('is the identity without pending actions', () => {
    expect(applyOverlay(list, {})).toBe(list);
  });
  it('shows starting/stopping until the server moves', () => {
    const out = applyOverlay(list, { a: 'start', b: 'stop' });
    expect(out.map((w) => [w.state, w.pending])).toEqual([
      ['starting', 'start'],
      ['stopping', 'stop'],
      ['running', undefined],
    ]);
    expect(out[2]).toBe(list[2]);
    expect(list[0]?.state).toBe('stopped');
  });
  it('lets the server win once it has moved on', () => {
    const out = applyOverlay([workspace('a', 'running')], { a: 'start' });
    expect(out[0]?.state).toBe('running');
  });
  it('adds and removes entries', () => {
    const o = requestedTransitions({ 'start:a': true, 'connect:b': true });
    expect(o).toEqual({ a: 'start' });
    expect(requestedTransitions({ 'connect:b': true })).toEqual({});
  });
});

describe('upserts', () => {
  it('replaces by name or appends', () => {
    const list = [workspace('a'), workspace('b')];
    expect(upsertWorkspace(list, workspace('b', 'running')).map((w) => w.state)).toEqual([
      'stopped',
      'running',
    ]);
    expect(upsertWorkspace(list, workspace('c')).map((w) => w.name)).toEqual(['a', 'b', 'c']);
  });
  it('replaces forwards by workspace and port', () => {
    const list = [fwd('a', 3000), fwd('a', 8080)];
    expect(upsertForward(list, fwd('a', 3000, { state: 'failed' })).map((f) => f.state)).toEqual([
      'failed',
      'active',
    ]);
    expect(upsertForward(list, fwd('b', 3000))).toHaveLength(3);
  });
});

describe('portRows', () => {
  it('merges declared ports with forwards, sorted', () => {
    const ws = workspace('a', 'running', { ports: [{ port: 8080, label: 'api' }, { port: 3000 }] });
    const rows = portRows(ws, [fwd('a', 3000, { label: 'web' }), fwd('a', 5173), fwd('b', 9999)]);
    expect(rows.map((r) => [r.remotePort, r.label, r.forward?.remotePort])).toEqual([
      [3000, 'web', 3000],
      [5173, undefined, 5173],
      [8080, 'api', undefined],
    ]);
  });
});

describe('moveSelection', () => {
  const v = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
  it('moves and clamps', () => {
    expect(moveSelection(v, 'a', 1)).toBe('b');
    expect(moveSelection(v, 'c', 1)).toBe('c');
    expect(moveSelection(v, 'a', -1)).toBe('a');
    expect(moveSelection(v, 'b', 10)).toBe('c');
  });
  it('picks an end when nothing (visible) is selected', () => {
    expect(moveSelection(v, undefined, 1)).toBe('a');
    expect(moveSelection(v, 'gone', -1)).toBe('c');
    expect(moveSelection([], 'a', 1)).toBeUndefined();
  });
});
