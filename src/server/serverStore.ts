// The control plane's store: workspace states, tokens and passes, persisted on every change.
// It is also the gateway's backend (GatewayBackend): who may log in, with which key, where.
import crypto from 'node:crypto';
import { parseEd25519PublicKey } from '../core/ssh/opensshKey.js';
import type { Me, Workspace, WorkspaceState } from '../shared/protocol.js';
import type { AuthDecision, GatewayBackend, GatewayWorkspace } from './gatewayBackend.js';
import type { PersistedPass, PersistedState } from './stateFile.js';
import { loadState, saveState } from './stateFile.js';
import type { WorkspaceDef } from './workspaceCatalog.js';

export type TokenCheck = { ok: true; user: Me; hash: string } | { ok: false; code: string; message: string };

/** A workspace changed state: the event, with the id it goes out under. */
export type WorkspaceChange = { id: number; workspace: Workspace };

const sha256 = (s: string | Buffer) => crypto.createHash('sha256').update(s).digest('hex');

export class ServerStore implements GatewayBackend {
  private readonly state: PersistedState;
  private readonly defs: Map<string, WorkspaceDef>;
  private readonly changeListeners = new Set<(c: WorkspaceChange) => void>();
  private readonly stoppedListeners = new Set<(id: string) => void>();
  private readonly revokedListeners = new Set<(id: string, blob: Buffer) => void>();
  /** Base of webIdeUrl; known once the HTTPS server listens. */
  endpoint = 'https://127.0.0.1';

  constructor(
    private readonly dataDir: string,
    defs: WorkspaceDef[],
    private readonly now: () => number = Date.now,
  ) {
    this.state = loadState(dataDir);
    this.defs = new Map(defs.map((d) => [d.id, d]));
    for (const id of Object.keys(this.state.workspaces)) {
      if (!this.defs.has(id)) delete this.state.workspaces[id];
    }
    for (const id of this.defs.keys()) {
      this.state.workspaces[id] ??= { state: 'stopped', updatedAt: new Date(now()).toISOString() };
    }
    this.save();
  }

  private save(): void {
    const t = this.now();
    this.state.tokens = this.state.tokens.filter((k) => k.expiresAt > t);
    // Expired passes linger a day so the gateway's log can say "expired" rather than "unknown".
    this.state.passes = this.state.passes.filter((p) => p.expiresAt + 86_400_000 > t);
    saveState(this.dataDir, this.state);
  }

  get user(): Me {
    return { ...this.state.user };
  }

  get lastEventId(): number {
    return this.state.eventSeq;
  }

  // ---- workspaces

  def(id: string): WorkspaceDef | undefined {
    return this.defs.get(id);
  }

  stateOf(id: string): WorkspaceState {
    return this.state.workspaces[id]?.state ?? 'stopped';
  }

  get(id: string): Workspace | undefined {
    const d = this.defs.get(id);
    if (!d) return undefined;
    const s = this.state.workspaces[id];
    return {
      id: d.id,
      name: d.name,
      state: s?.state ?? 'stopped',
      workdir: d.dir,
      webIdeUrl: `${this.endpoint}/ide/${encodeURIComponent(d.id)}`,
      ports: d.ports.map((p) => ({ ...p })),
      updatedAt: s?.updatedAt ?? new Date(this.now()).toISOString(),
      ...(s?.stateReason ? { stateReason: s.stateReason } : {}),
    };
  }

  list(): Workspace[] {
    return [...this.defs.keys()].map((id) => this.get(id)!);
  }

  /**
   * Moves a workspace to `state` (with why, if given; any older reason goes), persists, and tells
   * listeners (SSE; the gateway when it stops running).
   */
  setState(id: string, state: WorkspaceState, stateReason?: string): Workspace {
    const before = this.stateOf(id);
    this.state.workspaces[id] = {
      state,
      updatedAt: new Date(this.now()).toISOString(),
      ...(stateReason ? { stateReason } : {}),
    };
    const eventId = ++this.state.eventSeq;
    this.save();
    const workspace = this.get(id)!;
    for (const l of this.changeListeners) l({ id: eventId, workspace });
    if (before === 'running' && state !== 'running') for (const l of this.stoppedListeners) l(id);
    return workspace;
  }

  onChange(listener: (c: WorkspaceChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  // ---- tokens (random 256-bit; only their sha256 is kept)

  issueToken(ttlSeconds: number): string {
    const token = crypto.randomBytes(32).toString('base64url');
    const t = this.now();
    this.state.tokens.push({
      hash: sha256(token),
      userId: this.state.user.id,
      createdAt: t,
      expiresAt: t + ttlSeconds * 1000,
    });
    this.save();
    return token;
  }

  checkToken(token: string): TokenCheck {
    const h = Buffer.from(sha256(token), 'hex');
    // Constant-time over the (few) stored hashes, so timing says nothing about near misses.
    let found: PersistedState['tokens'][number] | undefined;
    for (const k of this.state.tokens) if (crypto.timingSafeEqual(h, Buffer.from(k.hash, 'hex'))) found = k;
    if (!found)
      return {
        ok: false,
        code: 'invalid_token',
        message: 'the access token is not valid (revoked or unknown); sign in again',
      };
    if (found.expiresAt <= this.now())
      return { ok: false, code: 'token_expired', message: 'the access token has expired; sign in again' };
    return { ok: true, user: this.user, hash: found.hash };
  }

  /** Forgets a token; returns its hash if it was known (so its open streams can be closed). */
  revokeToken(token: string): string | undefined {
    const hash = sha256(token);
    const before = this.state.tokens.length;
    this.state.tokens = this.state.tokens.filter((k) => k.hash !== hash);
    if (this.state.tokens.length === before) return undefined;
    this.save();
    return hash;
  }

  // ---- passes

  /** Registers (or renews) `key` for a workspace until now + ttl. */
  addPass(workspaceId: string, key: string, ttlSeconds: number): PersistedPass {
    const pass: PersistedPass = {
      workspaceId,
      key,
      userId: this.state.user.id,
      expiresAt: this.now() + ttlSeconds * 1000,
    };
    this.state.passes = this.state.passes.filter((p) => !(p.workspaceId === workspaceId && p.key === key));
    this.state.passes.push(pass);
    this.save();
    return pass;
  }

  /** Revokes `key`'s pass for a workspace; false when there was no live pass. */
  revokePass(workspaceId: string, key: string): boolean {
    const p = this.state.passes.find((q) => q.workspaceId === workspaceId && q.key === key && !q.revokedAt);
    if (!p || p.expiresAt <= this.now()) return false;
    p.revokedAt = this.now();
    this.save();
    const blob = Buffer.from(key.split(' ')[1] ?? '', 'base64');
    for (const l of [...this.revokedListeners]) l(workspaceId, blob);
    return true;
  }

  // ---- GatewayBackend

  authenticate(user: string, publicKeyBlob: Buffer): AuthDecision {
    const d = this.defs.get(user);
    if (!d) return { ok: false, reason: `no workspace for user '${user}'` };
    const key = parseEd25519PublicKey(`ssh-ed25519 ${publicKeyBlob.toString('base64')}`)?.line;
    if (!key) return { ok: false, reason: 'only ssh-ed25519 keys are accepted' };
    const pass = this.state.passes.find((p) => p.workspaceId === d.id && p.key === key);
    if (!pass) {
      const elsewhere = this.state.passes.some((p) => p.key === key);
      return {
        ok: false,
        reason: elsewhere ? `key is registered for another workspace, not ${d.id}` : 'key has no pass',
      };
    }
    if (pass.revokedAt) return { ok: false, reason: 'the pass for this key was revoked' };
    if (pass.expiresAt <= this.now()) return { ok: false, reason: 'the pass for this key has expired' };
    if (this.stateOf(d.id) !== 'running') return { ok: false, reason: `workspace ${d.id} is not running` };
    return { ok: true, workspaceId: d.id };
  }

  workspace(id: string): GatewayWorkspace | undefined {
    const d = this.defs.get(id);
    return (
      d && {
        id: d.id,
        name: d.name,
        dir: d.dir,
        running: this.stateOf(id) === 'running',
        ports: d.ports.map((p) => p.port),
      }
    );
  }

  onWorkspaceStopped(listener: (workspaceId: string) => void): () => void {
    this.stoppedListeners.add(listener);
    return () => this.stoppedListeners.delete(listener);
  }

  onPassRevoked(listener: (workspaceId: string, publicKeyBlob: Buffer) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }
}
