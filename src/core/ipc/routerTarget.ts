// What the IPC router calls: the tray's parts, each answering its own channels. The composition
// root (core/tray/trayController.ts) builds the router from them, so the router names the parts'
// types, never the controller's: no import cycle between the two.
import type { EventName, Events } from '../../shared/contract.js';
import type { DiagnosticsActions } from '../desktop/diagnosticsActions.js';
import type { UiStateStore } from '../desktop/uiState.js';
import type { UpdateActions } from '../desktop/updateActions.js';
import type { DesktopActions } from '../tray/desktopActions.js';
import type { TrayForwards } from '../tray/trayForwards.js';
import type { TraySession } from '../tray/traySession.js';
import type { WorkspaceModel } from '../tray/workspaceModel.js';

export interface RouterTarget {
  readonly session: Pick<TraySession, 'view' | 'signIn' | 'cancelSignIn' | 'trySandbox' | 'signOut'>;
  readonly workspaces: Pick<WorkspaceModel, 'list' | 'start' | 'stop' | 'connect'>;
  readonly forwards: Pick<TrayForwards, 'views' | 'toggle' | 'addPort'>;
  readonly actions: DesktopActions;
  readonly diagnostics: DiagnosticsActions;
  readonly updates: UpdateActions;
  readonly ui: UiStateStore;
  subscribe(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void;
  hideWindow(): void;
}
