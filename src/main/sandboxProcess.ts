// "Try the local demo server": runs the local RunCode server (not a sandbox: workspace commands
// run as the user, in folders on this computer) in an Electron utility process (a Node
// child without Electron's powers), data under <state>/sandbox, and hands the controller its
// endpoint and CA once the ready line arrives. Stopped on quit.
import fs from 'node:fs';
import path from 'node:path';
import type { UtilityProcess } from 'electron';
import { utilityProcess } from 'electron';
import { RuncodeError } from '../core/errors.js';
import type { AppPaths } from './appPaths.js';
import { FirstLine, parseSandboxReady } from './sandboxReady.js';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

export interface RunningSandbox {
  endpoint: string;
  caFile: string;
  stop(): Promise<void>;
}

/** The module to fork and its arguments: our sandbox entry, or `runcode server` in a dev checkout. */
function entry(paths: AppPaths, dataDir: string): { module: string; args: string[] } {
  if (fs.existsSync(paths.sandboxEntry)) return { module: paths.sandboxEntry, args: ['--data', dataDir] };
  if (fs.existsSync(paths.devCli))
    return { module: paths.devCli, args: ['server', '--auto-approve', '--data', dataDir] };
  throw new RuncodeError('sandbox_failed', 'the local demo server is not part of this build');
}

export class SandboxProcess {
  private child: UtilityProcess | undefined;
  private running: Promise<RunningSandbox> | undefined;

  constructor(
    private readonly paths: AppPaths,
    private readonly stateDir: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Starts it once; later calls get the same server. */
  start(): Promise<RunningSandbox> {
    this.running ??= this.spawn().catch((e: unknown) => {
      this.running = undefined;
      throw e;
    });
    return this.running;
  }

  private spawn(): Promise<RunningSandbox> {
    const dataDir = path.join(this.stateDir, 'sandbox');
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const { module, args } = entry(this.paths, dataDir);
    const child = utilityProcess.fork(module, args, {
      stdio: 'pipe',
      serviceName: 'RunCode local demo server',
    });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
      for (const line of d.toString().split('\n')) if (line.trim()) this.log(`sandbox: ${line.trim()}`);
    });
    return new Promise<RunningSandbox>((resolve, reject) => {
      const first = new FirstLine();
      const fail = (why: string) => {
        clearTimeout(timer);
        const last = stderr.trim().split('\n').at(-1) ?? '';
        reject(
          new RuncodeError(
            'sandbox_failed',
            `the local demo server did not start: ${why}${last ? ` (${last})` : ''}`,
          ),
        );
        child.kill();
      };
      const timer = setTimeout(() => fail('no answer within 30 s'), READY_TIMEOUT_MS);
      child.once('exit', (code) => fail(`it exited with code ${code}`));
      child.stdout?.on('data', (d: Buffer) => {
        let line: string | undefined;
        try {
          line = first.push(d);
        } catch (e) {
          fail((e as Error).message);
          return;
        }
        if (line === undefined) return;
        clearTimeout(timer);
        try {
          const ready = parseSandboxReady(line);
          resolve({ endpoint: ready.endpoint, caFile: ready.caFile, stop: () => this.stop() });
        } catch (e) {
          reject(e);
          child.kill();
        }
      });
    });
  }

  /** Asks it to stop (it closes its listeners), then kills it if it has not exited in 5 s. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.running = undefined;
    if (!child || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.postMessage('stop');
    const timer = setTimeout(() => child.kill(), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}
