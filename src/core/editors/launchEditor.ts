// Opening a workspace in an editor: a URL handed to the OS opener (after the allowlist), or the
// terminal spawned detached with an argument array. describeLaunch is the same decision without
// the side effect, for `runcode open --print`.
import { spawn as nodeSpawn } from 'node:child_process';
import { RuncodeError } from '../errors.js';
import { assertAllowedUrl } from './allowedUrl.js';
import type { EditorId, EditorTarget } from './editorUrl.js';
import { checkedAlias, editorUrl, isEditorId } from './editorUrl.js';
import type { FsProbe } from './findExecutable.js';
import type { LaunchCommand } from './terminalCommand.js';
import { terminalCommand } from './terminalCommand.js';

export interface LaunchRequest extends EditorTarget {
  editor: EditorId;
}

export type LaunchPlan =
  | { kind: 'url'; editor: EditorId; url: string }
  | ({ kind: 'command'; editor: EditorId; commandLine: string } & LaunchCommand);

export interface DescribeDeps {
  platform: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  probe?: FsProbe;
  /** RunCode's own ssh config: the terminal runs `ssh -F` it (no ~/.ssh/config needed). */
  sshConfig?: string;
}

/** What launchEditor needs of a spawned child (node's ChildProcess fits). */
export interface SpawnedChild {
  once(event: 'spawn', listener: () => void): unknown;
  once(event: 'error', listener: (e: Error) => void): unknown;
  unref(): void;
}

export type SpawnFn = (
  file: string,
  args: string[],
  options: { detached: true; stdio: 'ignore'; windowsHide: false; shell: false },
) => SpawnedChild;

export interface LaunchDeps extends DescribeDeps {
  /** Hands a URL to the OS (Electron: shell.openExternal; CLI: core's openBrowser). */
  openUrl(url: string): Promise<void>;
  spawn?: SpawnFn;
  /**
   * Before an SSH editor or the terminal: make sure the ssh config entry exists and the pass is
   * fresh (DESIGN.md). Not called for the browser IDE.
   */
  ensureReady?: () => Promise<void>;
}

export function describeLaunch(req: LaunchRequest, deps: DescribeDeps): LaunchPlan {
  if (!isEditorId(req.editor)) {
    throw new RuncodeError(
      'invalid_argument',
      `unknown editor ${JSON.stringify(String(req.editor).slice(0, 40))}`,
    );
  }
  if (req.editor === 'terminal') {
    const cmd = terminalCommand(
      checkedAlias(req.name),
      deps.platform,
      deps.env ?? process.env,
      deps.probe,
      deps.sshConfig,
    );
    return { kind: 'command', editor: req.editor, ...cmd, commandLine: commandLine(cmd, deps.platform) };
  }
  const url = editorUrl(req.editor, req);
  if (url === undefined) throw new RuncodeError('internal', `no URL for ${req.editor}`);
  return { kind: 'url', editor: req.editor, url: assertAllowedUrl(url) };
}

export async function launchEditor(req: LaunchRequest, deps: LaunchDeps): Promise<LaunchPlan> {
  const plan = describeLaunch(req, deps);
  if (req.editor !== 'browser') await deps.ensureReady?.();
  if (plan.kind === 'url') {
    await deps.openUrl(assertAllowedUrl(plan.url));
    return plan;
  }
  await spawnDetached(deps.spawn ?? (nodeSpawn as unknown as SpawnFn), plan);
  return plan;
}

/** Resolves once the program has started (rejects if it could not be), then lets it go. */
function spawnDetached(spawn: SpawnFn, cmd: LaunchCommand): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd.file, [...cmd.args], {
      detached: true,
      stdio: 'ignore',
      windowsHide: false,
      shell: false,
    });
    child.once('error', (e: Error) =>
      reject(
        new RuncodeError(
          'launch_failed',
          `could not start ${cmd.file} (${(e as NodeJS.ErrnoException).code ?? e.message})`,
          {
            cause: e,
          },
        ),
      ),
    );
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

/** The command as a person would type it, quoted for the platform's shell (display only). */
export function commandLine(cmd: LaunchCommand, platform: NodeJS.Platform): string {
  const quote =
    platform === 'win32'
      ? (a: string) => (/^[A-Za-z0-9._\\/:=@+-]+$/.test(a) ? a : `"${a.replace(/"/g, '""')}"`)
      : (a: string) => (/^[A-Za-z0-9._/:=@+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return [cmd.file, ...cmd.args].map(quote).join(' ');
}
