// The popover's own moves: tabs, search, state filter, selection, the open row, notices. The tab
// and the open row are also kept by core for the next time the popover opens.
import type { ActionKit } from './actionKit.js';
import type { StateFilter } from './filter.js';
import type { Banner, View } from './popoverUi.js';
import { moveSelection } from './reducers.js';

export interface UiActions {
  setView(view: View): void;
  setQuery(query: string): void;
  /** Esc with nothing left to close: ask the shell to hide the popover. */
  hideWindow(): void;
  setStateFilter(filter: StateFilter): void;
  select(name: string | undefined): void;
  moveSelection(visible: readonly { name: string }[], delta: number): void;
  toggleExpanded(name: string, open?: boolean): void;
  notify(level: Banner['level'], text: string): void;
  dismiss(id: number): void;
}

export function createUiActions({ api, get, set, notify }: ActionKit): UiActions {
  return {
    setView: (view) => {
      set({ view });
      void api.uiSet({ lastTab: view }).catch(() => undefined);
    },
    // A new query selects its first row again (and the list scrolls to the top).
    setQuery: (query) => set({ query, selected: undefined }),
    hideWindow: () => void api.windowHide().catch(() => undefined),
    setStateFilter: (stateFilter) => set({ stateFilter, selected: undefined }),
    select: (selected) => set({ selected }),
    moveSelection: (visible, delta) => set((s) => ({ selected: moveSelection(visible, s.selected, delta) })),
    toggleExpanded: (name, open) => {
      set((s) => {
        const isOpen = s.expanded === name;
        const want = open ?? !isOpen;
        return { expanded: want ? name : isOpen ? undefined : s.expanded, selected: name };
      });
      const expanded = get().expanded;
      void api.uiSet({ expandedRows: expanded ? [expanded] : [] }).catch(() => undefined);
    },
    notify,
    dismiss: (id) => set((s) => ({ banners: s.banners.filter((b) => b.id !== id) })),
  };
}
