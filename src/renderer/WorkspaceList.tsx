// The workspace list: search + state filter over a virtualized list (2,000 rows stay smooth),
// driven from the keyboard (useListKeyboard.ts).
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/shallow';
import { createWorkspaceFilter, STATE_FILTERS, type StateFilter } from './filter.js';
import { requestedTransitions, applyOverlay } from './reducers.js';
import { useListKeyboard } from './useListKeyboard.js';
import { usePopover, usePopoverStore } from './usePopover.js';
import { WorkspaceRow } from './WorkspaceRow.js';

const ROW_HEIGHT = 64;
const FILTER_LABEL: Record<StateFilter, string> = {
  all: 'All states',
  running: 'Running',
  starting: 'Starting',
  stopping: 'Stopping',
  stopped: 'Stopped',
  failed: 'Failed',
};

export function WorkspaceList() {
  const store = usePopoverStore();
  const workspaces = usePopover((s) => s.workspaces);
  // The starts and stops in flight (shown at once); a new object only when they change.
  const requested = usePopover(useShallow((s) => requestedTransitions(s.busy)));
  const query = usePopover((s) => s.query);
  const stateFilter = usePopover((s) => s.stateFilter);
  const selected = usePopover((s) => s.selected);
  const expanded = usePopover((s) => s.expanded);
  const editors = usePopover((s) => s.editors);
  const defaultEditor = usePopover((s) => s.settings?.defaultEditor);
  const setQuery = usePopover((s) => s.setQuery);
  const setStateFilter = usePopover((s) => s.setStateFilter);

  const filter = useMemo(() => createWorkspaceFilter(), []);
  const merged = useMemo(() => applyOverlay(workspaces, requested), [workspaces, requested]);
  const rows = filter(merged, query, stateFilter);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const defaultEditorLabel = editors.find((e) => e.id === defaultEditor)?.label ?? 'your editor';

  const search = useRef<HTMLInputElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    // Rows have a fixed height (CSS); only the expanded one is measured, which spares a forced
    // layout per row on every keystroke.
    estimateSize: () => ROW_HEIGHT,
    overscan: 4,
  });

  // Rows are keyed by position (a keystroke then patches DOM nodes instead of remounting them),
  // so a measured height must be dropped when the expanded row or the rows change.
  // measure() forgets every size, the expanded row's too, and React does not call an unchanged
  // ref again; measureElement() also skips measuring while the list is being scrolled. So the
  // expanded row's height is set again directly: without it, after a workspace event re-rendered
  // the list during a scroll, the rows below sat over its ports panel until something resized it.
  const hadExpanded = useRef(expanded);
  const expandedEl = useRef<HTMLElement | null>(null);
  const measureExpanded = useCallback(
    (el: HTMLElement | null) => {
      expandedEl.current = el;
      virtualizer.measureElement(el);
    },
    [virtualizer],
  );
  useEffect(() => {
    if (expanded !== undefined || hadExpanded.current !== undefined) virtualizer.measure();
    hadExpanded.current = expanded;
  }, [expanded, rows, virtualizer]);
  // After every render: the one expanded row's real height, whatever cleared or skipped it.
  useLayoutEffect(() => {
    const el = expandedEl.current;
    const index = Number(el?.dataset.index);
    if (!el?.isConnected || !Number.isInteger(index)) return;
    const item = virtualizer.getVirtualItems().find((v) => v.index === index);
    if (item && item.size !== el.offsetHeight) virtualizer.resizeItem(index, el.offsetHeight);
  });

  // Keep a selection inside what is shown, so Enter always has a target.
  const selectedIndex = rows.findIndex((w) => w.name === selected);
  useEffect(() => {
    if (selectedIndex < 0 && rows.length > 0) store.getState().select(rows[0]!.name);
  }, [rows, selectedIndex, store]);
  // A new query starts at the top. (Scrolling reads layout, so it is done only when needed:
  // here when scrolled, and on arrow keys; never on every keystroke.)
  useEffect(() => {
    if ((virtualizer.scrollOffset ?? 0) > 0) virtualizer.scrollToOffset(0);
  }, [query, stateFilter, virtualizer]);

  // Typing goes to the search box, unless the user has put focus somewhere (a tab) already.
  useEffect(() => {
    if (document.activeElement === document.body || document.activeElement === null) search.current?.focus();
  }, []);

  const scrollToSelected = useCallback(() => {
    const name = store.getState().selected;
    const i = rowsRef.current.findIndex((w) => w.name === name);
    if (i >= 0) virtualizer.scrollToIndex(i, { align: 'auto' });
  }, [store, virtualizer]);

  useListKeyboard(search, rowsRef, scrollToSelected);

  const items = virtualizer.getVirtualItems();
  return (
    <div className="workspaces">
      <div className="toolbar">
        <input
          ref={search}
          className="search"
          type="search"
          role="searchbox"
          spellCheck={false}
          placeholder="Search workspaces   /"
          aria-label="Search workspaces"
          aria-controls="workspace-list"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <select
          aria-label="Filter by state"
          value={stateFilter}
          onChange={(e) => setStateFilter(e.target.value as StateFilter)}
        >
          {STATE_FILTERS.map((f) => (
            <option key={f} value={f}>
              {FILTER_LABEL[f]}
            </option>
          ))}
        </select>
      </div>
      <div className="count muted" role="status" aria-live="polite" data-count={rows.length}>
        {rows.length === workspaces.length
          ? `${workspaces.length} workspace${workspaces.length === 1 ? '' : 's'}`
          : `${rows.length} of ${workspaces.length}`}
      </div>
      {rows.length === 0 ? (
        <div className="empty">
          {workspaces.length === 0 ? (
            <p className="muted">No workspaces yet. Create one in RunCode; it shows up here by itself.</p>
          ) : (
            <>
              <p className="muted">No workspace matches.</p>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setQuery('');
                  setStateFilter('all');
                }}
              >
                Clear the search
              </button>
            </>
          )}
        </div>
      ) : (
        <div className="scroller" ref={scroller}>
          <div
            id="workspace-list"
            role="list"
            aria-label="Workspaces"
            className="virtual"
            style={{ height: virtualizer.getTotalSize() }}
          >
            {items.map((item) => {
              const ws = rows[item.index]!;
              return (
                <WorkspaceRow
                  key={item.key}
                  ws={ws}
                  index={item.index}
                  start={item.start}
                  selected={ws.name === selected}
                  expanded={ws.name === expanded}
                  editors={editors}
                  defaultEditor={defaultEditor}
                  defaultEditorLabel={defaultEditorLabel}
                  measure={ws.name === expanded ? measureExpanded : undefined}
                />
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}
