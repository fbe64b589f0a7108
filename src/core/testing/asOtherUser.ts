// Runs code as another OS user (`nobody`), for tests that prove what such a user can and cannot
// do. The user may not be able to read the checkout (a clone under /root, mode 0700), so nothing
// is imported from it at run time: the script is bundled with esbuild into one self-contained
// .mjs in a fresh temp directory that user can read, run with dropped credentials, then removed.
//
//   const skip = otherUserSkipReason();
//   if (skip) console.warn(`skipped: ${skip}`);
//   it.skipIf(skip)('...', async () => { const r = await runAsOtherUser({ source, args }); ... });
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

export const OTHER_USER = { name: 'nobody', uid: 65534, gid: 65534 };

export interface OtherUserResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface OtherUserRun {
  /** An ES module (TypeScript allowed). It may import the checkout by absolute path: it is bundled. */
  source: string;
  args?: string[];
  /** Added to a minimal environment (PATH, HOME = a directory of the user's own, also the cwd). */
  env?: Record<string, string>;
  /** Default 60 s; then the child is killed. */
  timeoutMs?: number;
}

const isTraversableByOthers = (dir: string): boolean => {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const st = fs.statSync(d);
    if (!(st.mode & 0o001)) return false;
    if (path.dirname(d) === d) return true;
  }
};

/** A directory other users can reach, to stage the script in: the temp dir, else /tmp. */
function stagingParent(): string | undefined {
  return [os.tmpdir(), '/tmp', '/var/tmp'].find((d) => {
    try {
      return isTraversableByOthers(d);
    } catch {
      return false;
    }
  });
}

/** Why code cannot run as another user here; undefined when it can. */
export function otherUserSkipReason(): string | undefined {
  if (process.platform === 'win32') return 'running as another user needs a POSIX system';
  if (process.getuid?.() !== 0) return 'not root, so it cannot switch to another user (CI runs as root)';
  const pw = spawnSync('getent', ['passwd', OTHER_USER.name], { encoding: 'utf8' });
  if (pw.status !== 0 && process.platform === 'linux') return `no user ${OTHER_USER.name} on this machine`;
  try {
    if (
      !isTraversableByOthers(path.dirname(process.execPath)) ||
      !(fs.statSync(process.execPath).mode & 0o001)
    )
      return `${process.execPath} is not executable by other users`;
  } catch {
    return `cannot inspect ${process.execPath}`;
  }
  if (!stagingParent()) return 'no temp directory other users can reach';
  return undefined;
}

const setprivPath = (): string | undefined =>
  ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => fs.existsSync(p));

/** Bundles `source`, runs it as `nobody` with no supplementary groups, removes everything after. */
export async function runAsOtherUser(run: OtherUserRun): Promise<OtherUserResult> {
  const why = otherUserSkipReason();
  if (why) throw new Error(`cannot run as another user: ${why}`);
  const stage = fs.mkdtempSync(path.join(stagingParent()!, 'runcode-as-other-'));
  try {
    fs.chmodSync(stage, 0o755);
    const script = path.join(stage, 'script.mjs');
    await build({
      stdin: {
        contents: run.source,
        loader: 'ts',
        resolveDir: process.cwd(),
        sourcefile: 'as-other-user.ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: script,
      logLevel: 'silent',
      // Bundled CommonJS dependencies call require(); give them one in the ES module.
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
    fs.chmodSync(script, 0o644);
    // The user's own writable directory: its cwd and HOME.
    const home = path.join(stage, 'home');
    fs.mkdirSync(home, { mode: 0o700 });
    fs.chownSync(home, OTHER_USER.uid, OTHER_USER.gid);
    const env = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home, ...run.env };
    const node = [process.execPath, script, ...(run.args ?? [])];
    const setpriv = setprivPath();
    const [cmd, ...args] = setpriv
      ? [setpriv, `--reuid=${OTHER_USER.uid}`, `--regid=${OTHER_USER.gid}`, '--clear-groups', '--', ...node]
      : node;
    // Without setpriv (macOS), Node switches the child's ids itself (libuv also drops groups).
    const ids = setpriv ? {} : { uid: OTHER_USER.uid, gid: OTHER_USER.gid };
    return await new Promise<OtherUserResult>((resolve, reject) => {
      const child = spawn(cmd!, args, { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'], ...ids });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), run.timeoutMs ?? 60_000);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (status, signal) => {
        clearTimeout(timer);
        resolve({ status, signal, stdout, stderr });
      });
    });
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}
