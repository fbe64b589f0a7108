// What every workspace command (exec, put, get, ssh, open, port-forward) does first, so it "just
// works": the workspace named (or the attached one), connected, with a pass that will outlive a
// short command. A missing connection or a pass with under 5 minutes left is (re)connected, and
// stderr says so. A workspace that is not running is said to be so, with how to start it.
import type { Client } from 'ssh2';
import type { RuncodeApp } from '../core/app/runcodeApp.js';
import { checkName } from '../core/editors/editorUrl.js';
import { RuncodeError } from '../core/errors.js';
import { connectSsh, useSshClient } from '../core/ssh/sshConnection.js';
import { readAttached } from '../core/state/attachment.js';
import type { ConnectionRecord } from '../core/state/connectionStore.js';
import { progress, UsageError } from './defineCommand.js';
import { shown } from './displayText.js';
import { FRESH_ENOUGH_MS } from '../core/app/freshEnough.js';

/** The workspace name argument, checked before it reaches a file, a process, a URL or a message. */
export function workspaceName(name: string | undefined): string {
  try {
    return checkName(name ?? '');
  } catch {
    throw new UsageError(
      `'${shown(name ?? '')}' is not a valid workspace name (a-z, 0-9 and '-', up to 63 characters)`,
    );
  }
}

/**
 * The workspace a command acts on: the one named (positional or -w/--workspace), else the
 * attached one, else the only connected one. With none, or several and none attached, one line
 * that says what to do.
 */
export async function targetWorkspace(app: RuncodeApp, ...named: (string | undefined)[]): Promise<string> {
  const given = named.filter((n) => n !== undefined);
  if (given.length > 1 && given.some((n) => n !== given[0])) {
    throw new UsageError(`two workspaces named ('${shown(given[0]!)}' and '${shown(given[1]!)}'): name one`);
  }
  if (given[0] !== undefined) return workspaceName(given[0]);
  const found = await defaultWorkspace(app);
  if (typeof found === 'string') return found;
  const names = found.connected;
  throw new UsageError(
    names.length === 0
      ? 'no workspace is attached: `runcode connect NAME` attaches one (or name one with -w NAME)'
      : `no workspace is attached and several are connected (${names.join(', ')}): name one with -w NAME`,
  );
}

/**
 * The workspace to act on when none is named: the attached one, else the only connected one;
 * otherwise the names connected (none, or several) for the caller to say what to do, in its words.
 */
export async function defaultWorkspace(app: RuncodeApp): Promise<string | { connected: string[] }> {
  const attached = await readAttached(app.opts.stateDir);
  if (attached) return attached;
  const names = (await app.connections.list()).map((c) => c.name);
  return names.length === 1 ? names[0]! : { connected: names };
}

/** The connection record for `name`, connected or renewed first when needed. */
export async function ensureConnected(app: RuncodeApp, name: string): Promise<ConnectionRecord> {
  const rec = await app.connections.get(name);
  const left = rec ? Date.parse(rec.pass.expiresAt) - app.clock.now() : 0;
  if (rec && left >= FRESH_ENOUGH_MS) return rec;
  if (!rec) await app.findWorkspace(name); // an unknown name is `not_found`, not "connecting"
  progress(
    rec
      ? `${name}: the pass has under 5 minutes left; connecting again...`
      : `${name} is not connected; connecting it...`,
  );
  await app.connect(name, { onProgress: progress });
  const fresh = await app.connections.get(name);
  if (!fresh) throw new RuncodeError('not_connected', `${name} did not stay connected; try again`);
  return fresh;
}

/**
 * `not_running` with how to start it when the workspace is not running, else undefined. Asked
 * only after a failure, so a working command pays no extra round trip for it.
 */
export async function notRunning(app: RuncodeApp, name: string): Promise<RuncodeError | undefined> {
  const ws = await app.findWorkspace(name).catch(() => undefined);
  if (!ws || ws.state === 'running') return undefined;
  const how =
    ws.state === 'starting'
      ? `wait for it (\`runcode start ${name}\` returns once it runs)`
      : `start it with \`runcode start ${name}\` (or \`runcode connect ${name} --start\`)`;
  return new RuncodeError('not_running', `${name} is ${ws.state}; ${how}`);
}

/** Runs `fn` over one authenticated ssh2 connection to the workspace, closed afterwards. */
export async function withWorkspaceSsh<T>(
  app: RuncodeApp,
  name: string,
  fn: (client: Client, rec: ConnectionRecord) => Promise<T>,
): Promise<T> {
  const rec = await ensureConnected(app, name);
  const target = await app.connections.target(name);
  let client: Client;
  try {
    client = await connectSsh(target);
  } catch (e) {
    // A stopped workspace refuses the pass; "the pass may have expired" would send the user the
    // wrong way.
    throw (await notRunning(app, name)) ?? e;
  }
  return useSshClient(client, target, (c) => fn(c, rec));
}
