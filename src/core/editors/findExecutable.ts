// PATH lookup without a shell (`which` is not everywhere, and a shell is what we avoid), plus
// the small file-system probe the editor detection and launchers take as a parameter so tests
// can describe any machine.
import fs from 'node:fs';
import path from 'node:path';

export interface FsProbe {
  /** The path exists (a file, a directory or an app bundle). */
  exists(p: string): boolean;
  /** The path is a file this user may execute. */
  isExecutable(p: string): boolean;
}

export const realFs: FsProbe = {
  exists: (p) => fs.existsSync(p),
  isExecutable(p) {
    try {
      if (!fs.statSync(p).isFile()) return false;
      if (process.platform === 'win32') return true;
      fs.accessSync(p, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
};

/** The first `cmd` on env.PATH (with PATHEXT on Windows), or undefined. */
export function findExecutable(
  cmd: string,
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  probe: FsProbe = realFs,
): string | undefined {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter((d) => d !== '');
  const exts =
    platform === 'win32' && !/\.[a-z]+$/i.test(cmd)
      ? (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';')
      : [''];
  for (const dir of dirs) {
    // A relative PATH entry would resolve against whatever the cwd happens to be.
    if (!p.isAbsolute(dir)) continue;
    for (const ext of exts) {
      const full = p.join(dir, cmd + ext.toLowerCase());
      if (probe.isExecutable(full)) return full;
    }
  }
  return undefined;
}
