// Control-plane protocol v1 (DESIGN.md): the wire types. Core validates every one of them
// before use (src/core/api/schemas.ts); the local server produces them.

export type WorkspaceState = 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';

export interface WorkspacePort {
  port: number;
  label?: string;
}

export interface Workspace {
  id: string;
  name: string;
  state: WorkspaceState;
  workdir: string;
  webIdeUrl: string;
  ports: WorkspacePort[];
  /** ISO 8601. */
  updatedAt: string;
  /**
   * Why the workspace is in its state, a short plain sentence from the backend (say, "port 8080
   * is already in use" when failed). Optional; shown as text, never as markup.
   */
  stateReason?: string;
}

export interface SshPass {
  user: string;
  gateway: { host: string; port: number };
  /** OpenSSH public key lines, `ssh-ed25519 AAAA...`. */
  hostKeys: string[];
  /** ISO 8601. */
  expiresAt: string;
  workdir: string;
}

export interface Me {
  id: string;
  email: string;
  name: string;
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}

export const OAUTH_CLIENT_ID = 'runcode-desktop';
