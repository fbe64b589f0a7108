// A workspace's state as a coloured pill (text, never colour alone).
import type { WorkspaceState } from '../shared/protocol.js';

const LABEL: Record<WorkspaceState, string> = {
  stopped: 'Stopped',
  starting: 'Starting',
  running: 'Running',
  stopping: 'Stopping',
  failed: 'Failed',
};

export function StateBadge({ state, title }: { state: WorkspaceState; title?: string }) {
  return (
    <span className={`badge badge-${state}`} title={title} aria-label={`State: ${LABEL[state]}`}>
      {LABEL[state]}
    </span>
  );
}
