// Launch at login on Linux, the freedesktop way: `$XDG_CONFIG_HOME/autostart/runcode-tray.desktop`
// (Electron's login items cover macOS and Windows only). Written atomically; removed only when it
// is ours (it carries X-RunCode-Managed), so a user's own entry of that name is left alone.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RuncodeError } from '../errors.js';
import { atomicWrite } from '../fs/atomicWrite.js';

export const AUTOSTART_FILE = 'runcode-tray.desktop';
const MARK = 'X-RunCode-Managed=true';

export function autostartPath(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const xdg =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : path.join(home, '.config');
  return path.join(xdg, 'autostart', AUTOSTART_FILE);
}

/** One Exec argument, quoted as the Desktop Entry spec says (and `%` doubled: field codes). */
export function quoteExecArg(arg: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\x00-\x1f\x7f]/.test(arg)) {
    throw new RuncodeError(
      'invalid_argument',
      'the app path has a control character; cannot write an autostart entry for it',
    );
  }
  return `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`).replace(/%/g, '%%')}"`.replace(/\\/g, '\\\\');
}

export function autostartEntry(execPath: string, args: readonly string[] = []): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=RunCode Tray',
    'Comment=RunCode workspaces in your tray',
    `Exec=${[execPath, ...args].map(quoteExecArg).join(' ')}`,
    'Icon=runcode-tray',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    MARK,
    '',
  ].join('\n');
}

export interface AutostartOptions {
  /** The executable to start (an AppImage's own path, else process.execPath). */
  execPath: string;
  args?: string[];
  file?: string;
}

/** Writes or removes the entry; returns whether it is now enabled. */
export async function setLinuxAutostart(enabled: boolean, o: AutostartOptions): Promise<boolean> {
  const file = o.file ?? autostartPath();
  if (enabled) {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
    await atomicWrite(file, autostartEntry(o.execPath, o.args), { mode: 0o644 });
    return true;
  }
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  if (text.split(/\r?\n/).includes(MARK)) await fs.rm(file, { force: true });
  return false;
}

/** Whether our entry is there (and points at this executable). */
export async function linuxAutostartEnabled(o: AutostartOptions): Promise<boolean> {
  try {
    return (await fs.readFile(o.file ?? autostartPath(), 'utf8')) === autostartEntry(o.execPath, o.args);
  } catch {
    return false;
  }
}
