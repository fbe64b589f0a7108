// An in-memory GatewayBackend for gateway tests and the bench: workspaces, keys with an expiry,
// revocation and stop. The username is the workspace's name.
import type { AuthDecision, GatewayBackend, GatewayWorkspace } from '../gatewayBackend.js';

interface KeyRecord {
  workspaceId: string;
  expiresAt: number;
  revoked: boolean;
}

export class MemoryBackend implements GatewayBackend {
  private readonly workspaces = new Map<string, GatewayWorkspace>();
  private readonly keys = new Map<string, KeyRecord>();
  private readonly listeners = new Set<(workspaceId: string) => void>();
  private readonly revokedListeners = new Set<(workspaceId: string, blob: Buffer) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  addWorkspace(ws: {
    id: string;
    name: string;
    dir: string;
    running?: boolean;
    ports?: readonly number[] | 'any';
  }): GatewayWorkspace {
    const w = { running: true, ports: 'any' as const, ...ws };
    this.workspaces.set(w.id, w);
    return w;
  }

  /** Registers a key (wire blob) for a workspace until `expiresAt` (ms since the epoch). */
  registerKey(workspaceId: string, blob: Buffer, expiresAt: number): void {
    this.keys.set(blob.toString('base64'), { workspaceId, expiresAt, revoked: false });
  }

  revokeKey(blob: Buffer): void {
    const rec = this.keys.get(blob.toString('base64'));
    if (!rec || rec.revoked) return;
    rec.revoked = true;
    for (const l of [...this.revokedListeners]) l(rec.workspaceId, blob);
  }

  onPassRevoked(listener: (workspaceId: string, blob: Buffer) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  /** Ends a pass now, as if its time had run out. */
  expireKey(blob: Buffer): void {
    const rec = this.keys.get(blob.toString('base64'));
    if (rec) rec.expiresAt = this.now() - 1;
  }

  stopWorkspace(id: string): void {
    const ws = this.workspaces.get(id);
    if (!ws || !ws.running) return;
    ws.running = false;
    for (const l of [...this.listeners]) l(id);
  }

  startWorkspace(id: string): void {
    const ws = this.workspaces.get(id);
    if (ws) ws.running = true;
  }

  authenticate(user: string, publicKeyBlob: Buffer): AuthDecision {
    const ws = [...this.workspaces.values()].find((w) => w.name === user);
    if (!ws) return { ok: false, reason: `no workspace named ${JSON.stringify(user)}` };
    const rec = this.keys.get(publicKeyBlob.toString('base64'));
    if (!rec) return { ok: false, reason: 'unknown key' };
    if (rec.workspaceId !== ws.id) return { ok: false, reason: 'key belongs to another workspace' };
    if (rec.revoked) return { ok: false, reason: 'pass revoked' };
    if (rec.expiresAt <= this.now()) return { ok: false, reason: 'pass expired' };
    if (!ws.running) return { ok: false, reason: 'workspace not running' };
    return { ok: true, workspaceId: ws.id };
  }

  workspace(id: string): GatewayWorkspace | undefined {
    return this.workspaces.get(id);
  }

  onWorkspaceStopped(listener: (workspaceId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
