// React access to the popover store (provided once by main.tsx).
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { PopoverActions, PopoverState, PopoverStore } from './store.js';

export const StoreContext = createContext<PopoverStore | null>(null);

/** Select one value (or a stable action) from the store; re-renders only when it changes. */
export function usePopover<T>(selector: (s: PopoverState & PopoverActions) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('usePopover needs a StoreContext provider');
  return useStore(store, selector);
}

/** The store itself, for actions read at event time (`store.getState().start(...)`). */
export function usePopoverStore(): PopoverStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('usePopoverStore needs a StoreContext provider');
  return store;
}
