// What every group of store actions is built from: the API, the store's get/set, and the one
// guarded-action helper with the notices it raises.
import type { RuncodeApi } from '../shared/contract.js';
import type { GuardedAction } from './guardedAction.js';
import type { DataState } from './popoverData.js';
import type { Banner, UiState } from './popoverUi.js';

export type PopoverState = DataState & UiState;

export interface ActionKit {
  api: RuncodeApi;
  get(): PopoverState;
  set(update: Partial<PopoverState> | ((s: PopoverState) => Partial<PopoverState>)): void;
  notify(level: Banner['level'], text: string): void;
  /** A notice for a failed action: "Couldn't sign out: <why, in our words>". */
  fail(failure: string, e: unknown): void;
  guarded: GuardedAction;
}
