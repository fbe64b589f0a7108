// Runs the real `runcode server` as a child process, black box, the way a user runs it: it prints
// `{"endpoint","caFile","gateway"}` when ready. From the sources (tsx) for core tests, or the
// built `bin/runcode` for CLI tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startReadyLineProcess } from './readyLineProcess.js';

const REPO = path.resolve(import.meta.dirname, '../../..');

export interface LocalServerProcess {
  endpoint: string;
  caFile: string;
  /** The CA certificate (PEM). */
  ca: string;
  gateway: string;
  dataDir: string;
  /** What the server logged so far (the last few KiB). */
  stderr(): string;
  close(): Promise<void>;
}

export interface LocalServerOptions {
  autoApprove?: boolean;
  passTtlSeconds?: number;
  bootDelayMs?: number;
  /** `source` (default): src/cli/index.ts through tsx; `bin`: the built bin/runcode. */
  launch?: 'source' | 'bin';
  /** workspaces.json's content (default: the server seeds its two demo workspaces). */
  workspaces?: { workspaces: unknown[] };
  /** The server's environment, so its workspaces' commands' (default: this process's, HOME its own). */
  env?: NodeJS.ProcessEnv;
}

/**
 * A HOME of the server's own (inside its data dir): workspace commands run `bash -c`, which under
 * SSH_CONNECTION reads ~/.bashrc, so a developer's rc file decided what tests saw. Measured here:
 * a pyenv `init` in /root/.bashrc waiting 60 s on a stale rehash lock hung every workspace
 * command of every test.
 */
function ownHome(dataDir: string): string {
  const home = path.join(dataDir, 'home');
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  return home;
}

export async function startLocalServerProcess(opts: LocalServerOptions = {}): Promise<LocalServerProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-srv-'));
  if (opts.workspaces)
    fs.writeFileSync(path.join(dataDir, 'workspaces.json'), JSON.stringify(opts.workspaces));
  const entry =
    opts.launch === 'bin'
      ? [path.join(REPO, 'bin', 'runcode')]
      : ['--import', 'tsx', path.join(REPO, 'src/cli/index.ts')];
  const args = [...entry, 'server', '--data', dataDir];
  args.push('--boot-delay', String(opts.bootDelayMs ?? 50));
  if (opts.passTtlSeconds !== undefined) args.push('--pass-ttl', String(opts.passTtlSeconds));
  if (opts.autoApprove) args.push('--auto-approve');
  const p = await startReadyLineProcess<{ endpoint: string; caFile: string; gateway: string }>(args, {
    dataDir,
    cwd: REPO,
    label: 'runcode server',
    // Servers started side by side must not all seed their demo page on 8080 (see seed()).
    env: { ...(opts.env ?? { ...process.env, HOME: ownHome(dataDir) }), RUNCODE_DEMO_PORT: '0' },
  });
  return {
    ...p.ready,
    ca: fs.readFileSync(p.ready.caFile, 'utf8'),
    dataDir,
    stderr: p.stderr,
    close: p.close,
  };
}
