// The tray's own UI state as core sees it: main keeps it in electron-store (src/main/trayStore.ts);
// without main (the browser harness, tests) it lives in memory. The router checks a patch with
// uiPatchSchema before it reaches either.
import { z } from 'zod';
import type { TrayUiState } from '../../shared/contract.js';
import { EDITOR_IDS } from '../../shared/editors.js';
import { WORKSPACE_NAME } from '../../shared/workspaceName.js';

export interface UiStateStore {
  get(): TrayUiState;
  set(patch: Partial<TrayUiState>): TrayUiState;
}

export const DEFAULT_UI_STATE: TrayUiState = {
  windowPinned: false,
  lastTab: 'workspaces',
  expandedRows: [],
  lastEditor: {},
  dismissedTips: [],
};

const name = z.string().regex(WORKSPACE_NAME, 'a workspace name');

export const uiPatchSchema = z
  .object({
    windowPinned: z.boolean().optional(),
    lastTab: z.enum(['workspaces', 'settings', 'doctor']).optional(),
    expandedRows: z.array(name).max(200).optional(),
    lastEditor: z.record(name, z.enum(EDITOR_IDS)).optional(),
    dismissedTips: z
      .array(z.string().regex(/^[a-z0-9-]{1,64}$/))
      .max(100)
      .optional(),
  })
  .strict();

export class MemoryUiState implements UiStateStore {
  private s: TrayUiState = { ...DEFAULT_UI_STATE };
  get(): TrayUiState {
    return { ...this.s };
  }
  set(patch: Partial<TrayUiState>): TrayUiState {
    this.s = { ...this.s, ...patch };
    return this.get();
  }
}
