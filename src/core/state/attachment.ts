// The attached workspace (`<state>/attached.json`): the one `runcode connect NAME` attached, which
// exec, put, get, port-forward, stop and disconnect act on when no name is given. Shared by the
// tray and the CLI. Written atomically under the state lock (JsonStateFile); a damaged file is
// `state_corrupt`, never silently taken for "none attached".
import fs from 'node:fs/promises';
import * as z from '../zodMini.js';
import { workspaceNameSchema } from '../api/schemas.js';
import { withFileLock } from '../fs/fileLock.js';
import { attachedPath } from './attachmentPath.js';
import { JsonStateFile } from './jsonStateFile.js';

export { attachedPath };

const schema = z.strictObject({ version: z.literal(1), name: z.optional(workspaceNameSchema) });

function file(stateDir: string): JsonStateFile<typeof schema> {
  return new JsonStateFile(attachedPath(stateDir), schema, () => ({ version: 1 as const }));
}

/** The attached workspace's name, or undefined when none is. */
export async function readAttached(stateDir: string): Promise<string | undefined> {
  return (await file(stateDir).read()).name;
}

/** Attaches `name`, or detaches with undefined (the file is then removed). */
export async function writeAttached(stateDir: string, name: string | undefined): Promise<void> {
  if (name === undefined) {
    await file(stateDir).remove();
    return;
  }
  await file(stateDir).update(() => ({ version: 1, name: workspaceNameSchema.parse(name) }));
}

/**
 * Detaches only if `name` is the attached one (a disconnect of another workspace leaves the
 * attachment alone). Resolves true when it detached. A damaged file is reported, not removed.
 */
export async function detachIfAttached(stateDir: string, name: string): Promise<boolean> {
  const f = file(stateDir);
  return withFileLock(f.path, async () => {
    if ((await f.read()).name !== name) return false;
    await fs.rm(f.path, { force: true });
    return true;
  });
}
