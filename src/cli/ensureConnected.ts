// What every workspace command (exec, put, get, ssh, open, port-forward) does first, so it "just
// works": the workspace connected, with a pass that will outlive a short command. A missing
// connection or a pass with under 5 minutes left is (re)connected, and stderr says so.
import type { Client } from 'ssh2';
import type { RuncodeApp } from '../core/app/runcodeApp.js';
import { checkName } from '../core/editors/editorUrl.js';
import { RuncodeError } from '../core/errors.js';
import { connectSsh, mapSshError } from '../core/ssh/sshConnection.js';
import type { ConnectionRecord } from '../core/state/connectionStore.js';
import { progress, UsageError } from './defineCommand.js';

export const FRESH_ENOUGH_MS = 5 * 60_000;

/** The workspace name argument, checked before it reaches a file, a process or a URL. */
export function workspaceName(name: string | undefined): string {
  try {
    return checkName(name ?? '');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
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

/** Runs `fn` over one authenticated ssh2 connection to the workspace, closed afterwards. */
export async function withWorkspaceSsh<T>(
  app: RuncodeApp,
  name: string,
  fn: (client: Client, rec: ConnectionRecord) => Promise<T>,
): Promise<T> {
  const rec = await ensureConnected(app, name);
  const target = await app.connections.target(name);
  const client = await connectSsh(target);
  // connectSsh leaves a no-op 'error' listener; a mid-command failure surfaces as the
  // operation's own error, this only keeps the reason for one that has none.
  let lost: RuncodeError | undefined;
  client.on('error', (e) => (lost = mapSshError(e, target)));
  try {
    return await fn(client, rec);
  } catch (e) {
    throw lost && !(e instanceof RuncodeError) ? lost : e;
  } finally {
    client.end();
  }
}
