// What the popover shows, derived (never stored): workspaces with their connection state, and
// every port on offer with its forward's state.
import type { ForwardView, LinkView, WorkspaceView } from '../../shared/contract.js';
import type { Workspace } from '../../shared/protocol.js';
import type { ForwardInfo } from '../forwards/forward.js';
import type { ConnectionRecord } from '../state/connectionStore.js';
import { sshAlias } from '../../shared/workspaceName.js';

export function workspaceViews(
  workspaces: readonly Workspace[],
  connections: readonly ConnectionRecord[],
  pending: ReadonlyMap<string, 'start' | 'stop'>,
  link: (name: string) => LinkView | undefined = () => undefined,
): WorkspaceView[] {
  const byName = new Map(connections.map((c) => [c.name, c]));
  return workspaces.map((w) => {
    const c = byName.get(w.name);
    const p = pending.get(w.name);
    const l = c ? link(w.name) : undefined;
    return {
      ...w,
      alias: sshAlias(w.name),
      connected: c !== undefined,
      ...(c ? { passExpiresAt: c.pass.expiresAt } : {}),
      ...(p ? { pending: p } : {}),
      ...(l ? { link: l } : {}),
    };
  });
}

export function forwardViews(
  workspaces: readonly Workspace[],
  extraPorts: Readonly<Record<string, readonly number[]>>,
  active: readonly ForwardInfo[],
): ForwardView[] {
  const live = new Map(active.map((f) => [`${f.workspace}:${f.remotePort}`, f]));
  const out: ForwardView[] = [];
  const seen = new Set<string>();
  const push = (workspace: string, remotePort: number, label?: string) => {
    const key = `${workspace}:${remotePort}`;
    if (seen.has(key)) return;
    seen.add(key);
    const f = live.get(key);
    out.push({
      workspace,
      remotePort,
      ...(label ? { label } : {}),
      enabled: f !== undefined,
      state: f ? f.state : 'off',
      ...(f ? { localPort: f.localPort, url: f.url } : {}),
      ...(f?.reason ? { reason: f.reason } : f?.lastError ? { reason: f.lastError } : {}),
      connections: f?.connections ?? 0,
      bytesIn: f?.bytesIn ?? 0,
      bytesOut: f?.bytesOut ?? 0,
    });
  };
  for (const w of workspaces) {
    for (const p of w.ports) push(w.name, p.port, p.label);
    for (const p of extraPorts[w.name] ?? []) push(w.name, p);
  }
  // Forwards of workspaces no longer listed still show, so they can be turned off.
  for (const f of active) push(f.workspace, f.remotePort);
  return out;
}
