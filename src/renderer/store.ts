// The popover's store: data (what core tells us: popoverData.ts) and UI state (the popover's
// own: popoverUi.ts), seeded by one list call per kind at start, then fed by the contract's
// events (push, not polling). Actions call `window.runcode` through one guarded helper that turns
// failures into notices.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RuncodeApi } from '../shared/contract.js';
import type { ActionKit, PopoverState } from './actionKit.js';
import { describeFailure } from './friendlyError.js';
import { createGuardedAction } from './guardedAction.js';
import { initialData } from './popoverData.js';
import { addBanner, initialUi, type Banner } from './popoverUi.js';
import { createSessionActions, type SessionActions } from './sessionActions.js';
import { createSettingsActions, type SettingsActions } from './settingsActions.js';
import { createUiActions, type UiActions } from './uiActions.js';
import { createWorkspaceActions, type WorkspaceActions } from './workspaceActions.js';

export type { PopoverState } from './actionKit.js';
export type PopoverActions = SessionActions & WorkspaceActions & SettingsActions & UiActions;
export type PopoverStore = StoreApi<PopoverState & PopoverActions>;

export function createPopoverStore(api: RuncodeApi): PopoverStore {
  let nextBannerId = 1;
  return createStore<PopoverState & PopoverActions>()((set, get) => {
    const notify = (level: Banner['level'], text: string): void =>
      set((s) => ({ banners: addBanner(s.banners, { id: nextBannerId++, level, text }) }));
    const fail = (failure: string, e: unknown): void => notify('error', describeFailure(failure, e));
    const kit: ActionKit = { api, get, set, notify, fail, guarded: createGuardedAction(get, set, fail) };
    return {
      ...initialData(),
      ...initialUi(),
      ...createSessionActions(kit),
      ...createWorkspaceActions(kit),
      ...createSettingsActions(kit),
      ...createUiActions(kit),
    };
  });
}
