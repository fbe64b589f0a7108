import { describe, it, expect } from 'vitest';
import { createWorkspaceFilter, filterWorkspaces, queryTokens } from './filter.js';
import { workspace } from './testing/workspace.js';

const list = [
  workspace('api', 'running'),
  workspace('api-gateway', 'stopped'),
  workspace('Web-Frontend', 'running'),
  workspace('billing', 'failed'),
];
const names = (l: readonly { name: string }[]) => l.map((w) => w.name);

describe('filterWorkspaces', () => {
  it('returns the same array when nothing filters', () => {
    expect(filterWorkspaces(list, '  ', 'all')).toBe(list);
  });
  it('matches every token, case-insensitively', () => {
    expect(names(filterWorkspaces(list, 'API', 'all'))).toEqual(['api', 'api-gateway']);
    expect(names(filterWorkspaces(list, 'api gate', 'all'))).toEqual(['api-gateway']);
    expect(names(filterWorkspaces(list, 'front web', 'all'))).toEqual(['Web-Frontend']);
    expect(names(filterWorkspaces(list, 'zzz', 'all'))).toEqual([]);
  });
  it('filters by state', () => {
    expect(names(filterWorkspaces(list, '', 'running'))).toEqual(['api', 'Web-Frontend']);
    expect(names(filterWorkspaces(list, 'api', 'running'))).toEqual(['api']);
  });
  it('splits tokens on whitespace', () => {
    expect(queryTokens(' A  b ')).toEqual(['a', 'b']);
  });
});

describe('createWorkspaceFilter', () => {
  it('memoizes and narrows from the last result', () => {
    const f = createWorkspaceFilter();
    const a = f(list, 'a', 'all');
    expect(f(list, 'a', 'all')).toBe(a);
    expect(names(f(list, 'ap', 'all'))).toEqual(['api', 'api-gateway']);
    expect(names(f(list, 'ap g', 'all'))).toEqual(['api-gateway']);
    // Deleting a letter widens again from the full list.
    expect(names(f(list, 'a', 'all'))).toEqual(['api', 'api-gateway']);
    expect(f(list, '', 'all')).toBe(list);
    expect(names(f(list, 'i', 'failed'))).toEqual(['billing']);
  });
  it('starts over when the list changes', () => {
    const f = createWorkspaceFilter();
    f(list, 'bill', 'all');
    const next = [...list, workspace('billing-v2')];
    expect(names(f(next, 'billi', 'all'))).toEqual(['billing', 'billing-v2']);
  });
  // How fast is measured in bench/ (popover filter per keystroke), not asserted under a test's load.
  it('filters 2,000 rows per keystroke', () => {
    const big = Array.from({ length: 2000 }, (_, i) => workspace(`svc-${i.toString().padStart(4, '0')}`));
    const f = createWorkspaceFilter();
    for (const q of ['s', 'sv', 'svc', 'svc-', 'svc-1', 'svc-12', 'svc-1', 'svc-']) f(big, q, 'all');
    expect(names(f(big, 'svc-12', 'all'))).toHaveLength(100);
  });
});
