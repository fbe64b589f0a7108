// What the IPC router calls. The tray controller implements it and builds the router, so the router
// names this interface, not the controller's class: no import cycle between the two.
import type { EventName, Events, ForwardView, SessionView, WorkspaceView } from '../../shared/contract.js';
import type { DiagnosticsActions } from '../desktop/diagnosticsActions.js';
import type { UiStateStore } from '../desktop/uiState.js';
import type { UpdateActions } from '../desktop/updateActions.js';
import type { DesktopActions } from '../tray/desktopActions.js';

export interface RouterTarget {
  readonly actions: DesktopActions;
  readonly diagnostics: DiagnosticsActions;
  readonly updates: UpdateActions;
  readonly ui: UiStateStore;
  subscribe(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void;
  sessionView(): SessionView;
  signIn(endpoint: string, caFile?: string): Promise<SessionView>;
  cancelSignIn(): void;
  trySandbox(): Promise<SessionView>;
  signOut(): Promise<SessionView>;
  listWorkspaces(): Promise<WorkspaceView[]>;
  startWorkspace(name: string): Promise<WorkspaceView>;
  stopWorkspace(name: string): Promise<WorkspaceView>;
  connect(name: string): Promise<{ alias: string; command: string }>;
  forwardList(): ForwardView[];
  toggleForward(workspace: string, remotePort: number, enabled: boolean): Promise<ForwardView>;
  addPort(workspace: string, remotePort: number): Promise<ForwardView>;
  hideWindow(): void;
}
