// Publickey-only authentication. The backend decides at both steps of the publickey method
// (the unsigned query and the signed attempt), so a pass revoked in between is refused; the
// signature is checked by us, with ssh2's key parser. Logs name a key by fingerprint only.
import ssh2 from 'ssh2';
import type { AuthContext } from 'ssh2';
import { fingerprint } from '../core/ssh/opensshKey.js';
import type { GatewayBackend } from './gatewayBackend.js';

export interface AuthOutcome {
  /** Set once a signed publickey attempt is accepted. */
  workspaceId?: string;
  /** The accepted key's wire blob (a revoked pass ends the connections made with it). */
  keyBlob?: Buffer;
  /** True when the client should be cut off (too many failures). */
  giveUp: boolean;
}

export const MAX_AUTH_FAILURES = 6;

export interface AuthState {
  failures: number;
}

function printable(s: string): string {
  return JSON.stringify(s.length > 64 ? `${s.slice(0, 64)}...` : s);
}

export function handleAuth(
  ctx: AuthContext,
  backend: GatewayBackend,
  state: AuthState,
  log: (msg: string) => void,
  peer: string,
): AuthOutcome {
  const refuse = (why?: string): AuthOutcome => {
    if (why)
      log(`gateway: refused ${ctx.method} auth for user ${printable(ctx.username)} from ${peer}: ${why}`);
    ctx.reject(['publickey']);
    // "none" is how every client asks which methods exist; it is not a failed attempt.
    if (ctx.method !== 'none') state.failures++;
    return { giveUp: state.failures >= MAX_AUTH_FAILURES };
  };

  if (ctx.method !== 'publickey') {
    return refuse(ctx.method === 'none' ? undefined : 'only publickey authentication is accepted');
  }

  const parsed = ssh2.utils.parseKey(ctx.key.data);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error) return refuse(`unreadable ${printable(ctx.key.algo)} key`);
  const fp = fingerprint(ctx.key.data);

  let decision;
  try {
    decision = backend.authenticate(ctx.username, ctx.key.data);
  } catch (e) {
    return refuse(`key ${fp}: backend error: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!decision.ok) return refuse(`key ${fp}: ${decision.reason}`);

  if (!ctx.signature) {
    // The query step: "would this key do?" Answered now, decided again at the signed step.
    ctx.accept();
    return { giveUp: false };
  }
  if (!ctx.blob || key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) {
    return refuse(`key ${fp}: bad signature`);
  }
  log(`gateway: ${printable(ctx.username)} authenticated from ${peer} with key ${fp}`);
  ctx.accept();
  return { workspaceId: decision.workspaceId, keyBlob: Buffer.from(ctx.key.data), giveUp: false };
}
