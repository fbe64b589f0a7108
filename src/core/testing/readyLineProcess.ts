// A child Node process that prints one JSON line when it is ready (`runcode server`, the bench's
// server host): start it, wait for that line, and stop it (SIGTERM, then SIGKILL after 5 s) with
// its data dir removed. Shared by the test fixtures and the benchmarks.
import { spawn } from 'node:child_process';
import type { ChildProcess, StdioOptions } from 'node:child_process';
import fs from 'node:fs';

export interface ReadyLineProcess<T> {
  ready: T;
  child: ChildProcess;
  /** What the process logged so far (the last few KiB), when stderr is piped. */
  stderr(): string;
  /** Stops the process and removes `dataDir`. */
  close(): Promise<void>;
}

export interface ReadyLineOptions {
  /** Removed on close (and when the process never gets ready). */
  dataDir: string;
  cwd?: string;
  /** Default: no stdin, stdout and stderr piped. stdout must be piped. */
  stdio?: StdioOptions;
  /** What to call it in errors. */
  label: string;
  /** The child's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export async function startReadyLineProcess<T>(
  args: string[],
  o: ReadyLineOptions,
): Promise<ReadyLineProcess<T>> {
  const child = spawn(process.execPath, args, {
    ...(o.cwd ? { cwd: o.cwd } : {}),
    ...(o.env ? { env: o.env } : {}),
    stdio: o.stdio ?? ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-8000)));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(hard);
    }
    fs.rmSync(o.dataDir, { recursive: true, force: true });
  };
  try {
    const ready = await new Promise<T>((resolve, reject) => {
      let out = '';
      const seconds = (o.timeoutMs ?? 30_000) / 1000;
      const timer = setTimeout(
        () => reject(new Error(`${o.label} did not start in ${seconds} s: ${stderr}`)),
        seconds * 1000,
      );
      child.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        const nl = out.indexOf('\n');
        if (nl < 0) return;
        clearTimeout(timer);
        try {
          resolve(JSON.parse(out.slice(0, nl)) as T);
        } catch {
          reject(new Error(`${o.label} printed ${out.slice(0, nl)}`));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${o.label} exited (${code}) before it was ready: ${stderr}`));
      });
    });
    return { ready, child, stderr: () => stderr, close };
  } catch (e) {
    await close();
    throw e;
  }
}
