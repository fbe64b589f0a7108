// The server's persistent state (dataDir/state.json): workspace states, the user, token hashes
// and passes. Written atomically (temp file, fsync, rename) so a crash leaves the old or the new.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RuncodeError } from '../core/errors.js';
import type { Me, WorkspaceState } from '../shared/protocol.js';

export interface PersistedToken {
  /** sha256 (hex) of the access token: the token itself is never stored. */
  hash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

export interface PersistedPass {
  workspaceId: string;
  /** Canonical `ssh-ed25519 AAAA...` line (no comment). */
  key: string;
  userId: string;
  expiresAt: number;
  /** Kept until expiry so the gateway can say "revoked" rather than "unknown key". */
  revokedAt?: number;
}

export interface PersistedWorkspace {
  state: WorkspaceState;
  updatedAt: string;
  /** Why it is in this state (set when failed), sent as the workspace's stateReason. */
  stateReason?: string;
}

export interface PersistedState {
  version: 1;
  user: Me;
  tokens: PersistedToken[];
  passes: PersistedPass[];
  workspaces: Record<string, PersistedWorkspace>;
  /** Last SSE event id handed out, so ids keep growing across restarts. */
  eventSeq: number;
}

function freshState(): PersistedState {
  const name = os.userInfo().username || 'developer';
  return {
    version: 1,
    user: { id: 'u-local', email: `${name}@localhost`, name },
    tokens: [],
    passes: [],
    workspaces: {},
    eventSeq: 0,
  };
}

export const stateFilePath = (dataDir: string) => path.join(dataDir, 'state.json');

/** Reads state.json; a missing file is a fresh state, a corrupt one a clear error (never overwritten). */
export function loadState(dataDir: string): PersistedState {
  const file = stateFilePath(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return freshState();
    throw e;
  }
  let s: PersistedState;
  try {
    s = JSON.parse(text) as PersistedState;
  } catch {
    throw new RuncodeError(
      'state_corrupt',
      `${file} is not valid JSON; fix it or move it away to start afresh`,
    );
  }
  const ok =
    s?.version === 1 &&
    typeof s.user?.id === 'string' &&
    Array.isArray(s.tokens) &&
    Array.isArray(s.passes) &&
    typeof s.workspaces === 'object' &&
    s.workspaces !== null &&
    Number.isInteger(s.eventSeq);
  if (!ok) throw new RuncodeError('state_corrupt', `${file} is not a RunCode server state file (version 1)`);
  return s;
}

/** Writes state.json atomically, 0600 (it holds token hashes). */
export function saveState(dataDir: string, state: PersistedState): void {
  const file = stateFilePath(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(state, null, 2) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
