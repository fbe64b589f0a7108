// The tray's own state (never read by the CLI, so not in core's settings.json): window pinned,
// last tab, expanded rows, each workspace's last editor, dismissed tips. Kept with electron-store,
// validated by its JSON schema on every read and write. A file that is not JSON or that the
// schema refuses is moved aside (kept for a bug report) and the store starts afresh with a notice:
// the tray's cosmetics are never a reason not to start.
import fs from 'node:fs';
import path from 'node:path';
import Store from 'electron-store';
import type { Schema } from 'electron-store';
import { EDITOR_IDS } from '../shared/editors.js';
import type { EditorId, TrayUiState } from '../shared/contract.js';
import { WORKSPACE_NAME_SOURCE } from '../shared/workspaceName.js';

export type { TrayUiState };

const WORKSPACE_NAME = `^${WORKSPACE_NAME_SOURCE}$`;

export const TRAY_STORE_SCHEMA: Schema<TrayUiState> = {
  windowPinned: { type: 'boolean', default: false },
  lastTab: { type: 'string', enum: ['workspaces', 'settings', 'doctor'], default: 'workspaces' },
  expandedRows: {
    type: 'array',
    items: { type: 'string', pattern: WORKSPACE_NAME },
    maxItems: 200,
    uniqueItems: true,
    default: [],
  },
  lastEditor: {
    type: 'object',
    propertyNames: { pattern: WORKSPACE_NAME },
    additionalProperties: { type: 'string', enum: [...EDITOR_IDS] },
    maxProperties: 2000,
    default: {},
  },
  dismissedTips: {
    type: 'array',
    items: { type: 'string', pattern: '^[a-z0-9-]{1,64}$' },
    maxItems: 100,
    uniqueItems: true,
    default: [],
  },
};

export const TRAY_STORE_NAME = 'tray-state';

export interface OpenedTrayStore {
  store: TrayStore;
  /** Set when a damaged file was moved aside: say so once. */
  notice?: string;
}

export class TrayStore {
  private constructor(private readonly s: Store<TrayUiState>) {}

  /** Opens `<cwd>/tray-state.json` (cwd absolute: userData in the app, a temp dir in tests). */
  static open(cwd: string): OpenedTrayStore {
    const make = () =>
      new Store<TrayUiState>({
        cwd,
        name: TRAY_STORE_NAME,
        schema: TRAY_STORE_SCHEMA,
        clearInvalidConfig: false,
        // Outside Electron electron-store has no app version to record migrations against.
        projectVersion: '1.0.0',
      });
    try {
      return { store: new TrayStore(make()) };
    } catch (e) {
      const file = path.join(cwd, `${TRAY_STORE_NAME}.json`);
      if (!fs.existsSync(file)) throw e;
      const aside = `${file}.damaged-${Date.now()}`;
      fs.renameSync(file, aside);
      const store = new TrayStore(make());
      const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
      return {
        store,
        notice: `The tray's saved window state was damaged and has been reset (${why}); the old file is ${aside}.`,
      };
    }
  }

  get path(): string {
    return this.s.path;
  }

  get(): TrayUiState {
    return { ...this.s.store };
  }

  /** Sets some fields; a value the schema refuses throws and changes nothing. */
  set(patch: Partial<TrayUiState>): TrayUiState {
    const next = { ...this.s.store, ...patch };
    this.s.store = next;
    return this.get();
  }

  /** Remembers the editor a workspace was last opened in. */
  rememberEditor(workspace: string, editor: EditorId): void {
    this.set({ lastEditor: { ...this.s.get('lastEditor'), [workspace]: editor } });
  }
}
