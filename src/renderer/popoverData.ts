// What core tells the popover: seeded by one list call per kind, then replaced by its events.
// Nothing here is the popover's own idea (that is UiState, in popoverUi.ts).
import type {
  DoctorCheck,
  EditorInfo,
  ForwardView,
  SessionView,
  Settings,
  SshConfigInfo,
  WorkspaceView,
} from '../shared/contract.js';

export interface DataState {
  session: SessionView | undefined;
  /** Core's list, its own pending start/stop included (`WorkspaceView.pending`). */
  workspaces: readonly WorkspaceView[];
  forwards: readonly ForwardView[];
  editors: readonly EditorInfo[];
  settings: Settings | undefined;
  sshConfig: SshConfigInfo | undefined;
  /** The last doctor run's checks. */
  doctor: readonly DoctorCheck[] | undefined;
}

export function initialData(): DataState {
  return {
    session: undefined,
    workspaces: [],
    forwards: [],
    editors: [],
    settings: undefined,
    sshConfig: undefined,
    doctor: undefined,
  };
}

/** What signing out leaves of the data (the session itself comes with the event). */
export const SIGNED_OUT_DATA: Pick<DataState, 'workspaces' | 'forwards'> = { workspaces: [], forwards: [] };
