// Runs the real `runcode server` as a child process, black box, the way a user runs it: it prints
// `{"endpoint","caFile","gateway"}` when ready. From the sources (tsx) for core tests, or the
// built `bin/runcode` for CLI tests.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
}

export async function startLocalServerProcess(opts: LocalServerOptions = {}): Promise<LocalServerProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-srv-'));
  const entry =
    opts.launch === 'bin'
      ? [path.join(REPO, 'bin', 'runcode')]
      : ['--import', 'tsx', path.join(REPO, 'src/cli/index.ts')];
  const args = [...entry, 'server', '--data', dataDir];
  args.push('--boot-delay', String(opts.bootDelayMs ?? 50));
  if (opts.passTtlSeconds !== undefined) args.push('--pass-ttl', String(opts.passTtlSeconds));
  if (opts.autoApprove) args.push('--auto-approve');
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-8000)));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(hard);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const ready = await new Promise<{ endpoint: string; caFile: string; gateway: string }>(
      (resolve, reject) => {
        let out = '';
        const timer = setTimeout(
          () => reject(new Error(`runcode server did not start in 30 s: ${stderr}`)),
          30_000,
        );
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const nl = out.indexOf('\n');
          if (nl < 0) return;
          clearTimeout(timer);
          try {
            resolve(JSON.parse(out.slice(0, nl)) as { endpoint: string; caFile: string; gateway: string });
          } catch {
            reject(new Error(`runcode server printed ${out.slice(0, nl)}`));
          }
        });
        child.once('exit', (code) => reject(new Error(`runcode server exited (${code}): ${stderr}`)));
      },
    );
    return { ...ready, ca: fs.readFileSync(ready.caFile, 'utf8'), dataDir, stderr: () => stderr, close };
  } catch (e) {
    await close();
    throw e;
  }
}
