// The agent's fast path: when a workspace is connected and its pass has plenty of life left, a
// command needs no control plane, no token and no keychain, only the record and the key. Reading
// them straight from the state dir (one small JSON file, one key file) skips RuncodeApp, zod and
// the keychain binding, which were most of `runcode exec`'s start (bench/figures/cli.ts). Anything
// unexpected here returns undefined: the caller takes the full path, which validates everything,
// reconnects when needed and says what is wrong.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Client } from 'ssh2';
import { keyFileName } from '../core/keys/keyFileName.js';
import { keysDir } from '../core/paths.js';
import { connectSsh, useSshClient } from '../core/ssh/sshConnection.js';
import type { SshTarget } from '../core/ssh/sshTarget.js';
import { isHostName, isPort, isSshUser, isWorkspaceName } from '../core/ssh/sshValues.js';
import { FRESH_ENOUGH_MS } from '../core/app/freshEnough.js';

/** The same margin as ensureConnected: a pass this fresh outlives a short command. */
export const FAST_PATH_MIN_LEFT_MS = FRESH_ENOUGH_MS;

const HOST_KEY = /^ssh-ed25519 [A-Za-z0-9+/]+={0,2}$/;

interface RawRecord {
  name?: unknown;
  publicKey?: unknown;
  pass?: {
    user?: unknown;
    gateway?: { host?: unknown; port?: unknown };
    hostKeys?: unknown;
    expiresAt?: unknown;
  };
}

/** Names in connections.json, or undefined when it cannot be read as expected. */
async function records(stateDir: string): Promise<RawRecord[] | undefined> {
  try {
    const file = JSON.parse(await fs.readFile(path.join(stateDir, 'connections.json'), 'utf8')) as {
      version?: unknown;
      connections?: unknown;
    };
    if (file.version !== 1 || !Array.isArray(file.connections)) return undefined;
    return file.connections as RawRecord[];
  } catch {
    return undefined;
  }
}

function keyFileNameOrUndefined(name: string, publicKey: string): string | undefined {
  try {
    return keyFileName(name, publicKey);
  } catch {
    return undefined;
  }
}

/** The one connected workspace's name, when exactly one is (`runcode exec -- CMD`). */
export async function onlyConnected(stateDir: string): Promise<string | undefined> {
  const all = await records(stateDir);
  const name = all?.length === 1 ? all[0]!.name : undefined;
  return typeof name === 'string' && isWorkspaceName(name) ? name : undefined;
}

/**
 * The ssh2 target for `name` when its record is well formed and its pass has at least
 * FAST_PATH_MIN_LEFT_MS left; undefined otherwise (take the full path).
 */
export async function freshTarget(
  stateDir: string,
  name: string,
  now = Date.now(),
): Promise<SshTarget | undefined> {
  if (!isWorkspaceName(name)) return undefined;
  const rec = (await records(stateDir))?.find((r) => r.name === name);
  const pass = rec?.pass;
  const host = pass?.gateway?.host;
  const port = pass?.gateway?.port;
  const expires = typeof pass?.expiresAt === 'string' ? Date.parse(pass.expiresAt) : Number.NaN;
  if (
    !isSshUser(pass?.user) ||
    !isHostName(host) ||
    !isPort(port) ||
    !Array.isArray(pass?.hostKeys) ||
    pass.hostKeys.length === 0 ||
    !pass.hostKeys.every((k) => typeof k === 'string' && HOST_KEY.test(k)) ||
    !(expires - now >= FAST_PATH_MIN_LEFT_MS)
  )
    return undefined;
  // The key the record names (keys are named by their public half: keys/NAME.<id>).
  const file = typeof rec?.publicKey === 'string' ? keyFileNameOrUndefined(name, rec.publicKey) : undefined;
  if (file === undefined) return undefined;
  const privateKey = await fs.readFile(path.join(keysDir(stateDir), file), 'utf8').catch(() => undefined);
  if (privateKey === undefined) return undefined;
  return { host, port, user: pass.user, privateKey, hostKeys: pass.hostKeys as string[] };
}

/**
 * Runs `fn` over an ssh2 connection made from the fresh record alone; `{ ran: false }` when there
 * is none or it does not connect (nothing ran yet, so the full path may try: it reconnects or
 * says why not).
 */
export async function withFreshSsh<T>(
  stateDir: string,
  name: string,
  fn: (client: Client) => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  const target = await freshTarget(stateDir, name);
  if (!target) return { ran: false };
  const client = await connectSsh(target).catch(() => undefined);
  if (!client) return { ran: false };
  return { ran: true, value: await useSshClient(client, target, fn) };
}
