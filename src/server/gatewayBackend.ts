// What the SSH gateway asks of the control plane. The control plane's store implements it;
// gateway tests use a small in-memory one.

export type AuthDecision = { ok: true; workspaceId: string } | { ok: false; reason: string };

export interface GatewayWorkspace {
  id: string;
  name: string;
  /** Absolute directory the workspace's commands run in. */
  dir: string;
  running: boolean;
  /**
   * The loopback ports direct-tcpip may reach: the workspace's declared ports. 'any' only in
   * test backends (the bench and gateway tests forward to ports they make up as they go).
   */
  ports: readonly number[] | 'any';
}

export interface GatewayBackend {
  /**
   * May `user` log in with this public key (the wire blob)? Yes only if the key is registered
   * for the workspace `user` names, its pass has not expired or been revoked, and the
   * workspace is running. Checked at authentication only.
   */
  authenticate(user: string, publicKeyBlob: Buffer): AuthDecision;
  workspace(id: string): GatewayWorkspace | undefined;
  /** Called when a workspace leaves `running`; returns the unsubscribe. */
  onWorkspaceStopped(listener: (workspaceId: string) => void): () => void;
  /**
   * Called when a key's pass for a workspace is revoked (disconnect, sign-out): connections that
   * authenticated with it end. Expiry is not revocation. Returns the unsubscribe.
   */
  onPassRevoked(listener: (workspaceId: string, publicKeyBlob: Buffer) => void): () => void;
}
