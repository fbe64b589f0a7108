// One lock per workspace, shared by every RunCode process (tray, CLI, agent): held from key
// generation to the record and config write, so the key, its pass, the record and the config
// entry of a workspace change together. Two connects of one workspace run one after the other.
import fs from 'node:fs/promises';
import path from 'node:path';
import { withFileLock } from '../fs/fileLock.js';
import { isWorkspaceName } from '../ssh/sshValues.js';
import { RuncodeError } from '../errors.js';

/** Long enough for a connect on a slow network; a holder that died is detected by its pid at once. */
const LOCK = { timeoutMs: 120_000, staleMs: 120_000 };

export async function withConnectionLock<T>(
  stateDir: string,
  name: string,
  fn: () => Promise<T>,
): Promise<T> {
  if (!isWorkspaceName(name)) throw new RuncodeError('invalid_argument', 'not a valid workspace name');
  const dir = path.join(stateDir, 'locks');
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  return withFileLock(path.join(dir, name), fn, LOCK);
}
