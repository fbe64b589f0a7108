// `runcode exec` on the fast path alone: a connected workspace whose pass is fresh needs no
// control plane, only the record and the key (freshTarget.ts). bin/runcode runs this module from
// its own CommonJS bundle with V8's code cache (dist/bundle/exec.cjs, scripts/buildCli.mjs,
// codeCache.ts), because an agent calls `runcode exec` hundreds of times a session and loading
// ssh2 was most of each call; whatever this cannot finish goes to the full command
// (execCommand.ts), which says what is wrong. Nothing here may import the full path's modules.
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { stateDir } from '../core/paths.js';
import { isWorkspaceName } from '../core/ssh/sshValues.js';
import { attachedPath } from '../core/state/attachmentPath.js';
import { onlyConnected, withFreshSsh } from './freshTarget.js';
import { runRemote } from './remoteCommand.js';
import { reportError } from './reportError.js';

/**
 * `runcode exec ARGV` when the fast path can run it: the exit code (a failure once connected is
 * reported as every command reports it, and handed to `log` for the CLI's log). Undefined when it
 * cannot (anything unusual in the arguments, `--help`, no fresh pass, no connection): nothing was
 * run and nothing printed, and the full command (execAfterFastPath) takes over.
 */
export async function fastExec(
  argv: string[],
  log: (e: unknown) => Promise<void>,
): Promise<number | undefined> {
  const dash = argv.indexOf('--');
  const rest = dash === -1 ? [] : argv.slice(dash + 1);
  if (dash === -1 || rest.length === 0) return undefined;
  let given: string | undefined;
  let flag: string | undefined;
  let dir: string;
  try {
    const { values, positionals } = parseArgs({
      args: argv.slice(0, dash),
      options: { workspace: { type: 'string', short: 'w' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 1) return undefined;
    given = positionals[0];
    flag = values.workspace;
    dir = stateDir();
  } catch {
    return undefined;
  }
  const name = await fastTargetName(dir, given, flag);
  if (name === undefined) return undefined;
  try {
    const fast = await withFreshSsh(dir, name, (client) => runRemote(client, rest));
    return fast.ran ? fast.value : undefined;
  } catch (e) {
    await log(e).catch(() => undefined);
    return reportError('exec', e);
  }
}

/**
 * The workspace the fast path may act on: the one named (positional or -w, the same if both), else
 * the attached one, else the only connected one; undefined when that is not plain (the full path
 * then reads everything properly and says what is wrong).
 */
export async function fastTargetName(
  dir: string,
  given: string | undefined,
  flag: string | undefined,
): Promise<string | undefined> {
  if (given !== undefined && flag !== undefined && given !== flag) return undefined;
  const named = given ?? flag;
  if (named !== undefined) return isWorkspaceName(named) ? named : undefined;
  return attachedOrOnly(dir);
}

/**
 * The attached workspace, else the only connected one; undefined when attached.json is anything
 * but absent or plainly well formed (the full path then reads it properly and reports a damaged
 * file).
 */
async function attachedOrOnly(dir: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await fs.readFile(attachedPath(dir), 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? onlyConnected(dir) : undefined;
  }
  try {
    const v = JSON.parse(text) as { version?: unknown; name?: unknown };
    return v.version === 1 && typeof v.name === 'string' && isWorkspaceName(v.name) ? v.name : undefined;
  } catch {
    return undefined;
  }
}
