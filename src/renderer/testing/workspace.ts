// Deterministic workspaces for the renderer's unit tests (no DOM, no randomness).
import type { WorkspaceView } from '../../shared/contract.js';
import type { WorkspaceState } from '../../shared/protocol.js';
import { sshAlias } from '../../shared/workspaceName.js';

export function workspace(
  name: string,
  state: WorkspaceState = 'stopped',
  extra: Partial<WorkspaceView> = {},
): WorkspaceView {
  return {
    id: `id-${name}`,
    name,
    state,
    workdir: `/home/dev/${name}`,
    webIdeUrl: `https://ide.example.test/${name}`,
    ports: [],
    updatedAt: '2025-01-01T12:00:00Z',
    alias: sshAlias(name),
    connected: false,
    ...extra,
  };
}
