// The workspace list from the keyboard: arrows select, Enter opens, Right/Left show/hide ports,
// `/` searches, Esc clears the search (and, with nothing to clear, is left to App to hide the
// popover).
import { useEffect, type RefObject } from 'react';
import type { WorkspaceView } from '../shared/contract.js';
import { usePopoverStore } from './usePopover.js';

function isTextField(el: Element): boolean {
  return (
    el instanceof HTMLTextAreaElement ||
    el instanceof HTMLSelectElement ||
    (el instanceof HTMLInputElement && el.type !== 'checkbox' && el.type !== 'button') ||
    (el instanceof HTMLElement && el.isContentEditable)
  );
}

/**
 * `rows`: the rows shown, read at key time; `scrollToSelected`: brings the selected row into view
 * after an arrow key (scrolling reads layout, so only then).
 */
export function useListKeyboard(
  search: RefObject<HTMLInputElement | null>,
  rows: RefObject<readonly WorkspaceView[]>,
  scrollToSelected: () => void,
): void {
  const store = usePopoverStore();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target instanceof Element ? e.target : document.body;
      const inSearch = target === search.current;
      if (target.closest('[role=tablist], [role=menu]')) return;
      if (!inSearch && isTextField(target)) return;
      const s = store.getState();
      const visible = rows.current;
      switch (e.key) {
        case '/':
          if (inSearch) return;
          e.preventDefault();
          search.current?.focus();
          break;
        case 'ArrowDown':
        case 'ArrowUp':
          e.preventDefault();
          s.moveSelection(visible, e.key === 'ArrowDown' ? 1 : -1);
          scrollToSelected();
          break;
        case 'ArrowRight':
        case 'ArrowLeft':
          if (inSearch || !s.selected) return;
          e.preventDefault();
          s.toggleExpanded(s.selected, e.key === 'ArrowRight');
          break;
        case 'Enter': {
          if (target instanceof HTMLButtonElement) return;
          const ws = visible.find((w) => w.name === s.selected);
          if (!ws) return;
          e.preventDefault();
          if (ws.state === 'running') void s.openEditor(ws.name);
          else s.notify('info', `Start ${ws.name} first, then open it.`);
          break;
        }
        case 'Escape':
          // Nothing to clear here: leave Esc to App, which asks the shell to hide the popover.
          if (!s.query) return;
          e.preventDefault();
          s.setQuery('');
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, search, rows, scrollToSelected]);
}
