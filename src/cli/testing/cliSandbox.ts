// The `runcode` CLI as a user runs it, for integration tests: `node bin/runcode ...` (the built
// dist/) with its own temporary HOME, state dir and ssh config, against a real `runcode server`
// child process. OpenSSH finds ~/.ssh/config through the passwd entry, not $HOME, so every ssh
// here gets `-F` pointed at the sandbox's config (DESIGN.md, "Testing on these machines").
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '../../core/testing/fakeBrowser.js';
import { browse } from '../../core/testing/fakeBrowser.js';
import type { LocalServerOptions, LocalServerProcess } from '../../core/testing/localServerProcess.js';
import { startLocalServerProcess } from '../../core/testing/localServerProcess.js';
import type { ProcessResult } from '../../server/testing/runProcess.js';
import { runProcess } from '../../server/testing/runProcess.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = path.join(ROOT, 'bin', 'runcode');

/** Fails fast (with the fix) when dist/ is missing: bin/runcode runs the built CLI. */
export function requireBuiltCli(): void {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'index.js'))) {
    throw new Error('dist/ is not built: run `npx tsc -p tsconfig.build.json` before these tests');
  }
}

export type CliServer = LocalServerProcess;

/** `runcode server` (the built bin/runcode) on 127.0.0.1, port 0, as a child process. */
export function startCliServer(o: Omit<LocalServerOptions, 'launch'> = {}): Promise<CliServer> {
  return startLocalServerProcess({ ...o, launch: 'bin' });
}

/** A long-running `runcode` (login, agent): its output so far, and a way to wait for a line. */
export interface CliChild {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `re` on stderr; rejects after `timeoutMs` or on exit. */
  waitForStderr(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** The result once it exits (kill it first for a foreground command). */
  result(): Promise<ProcessResult>;
  stop(): Promise<ProcessResult>;
}

export class CliSandbox {
  readonly root: string;
  readonly home: string;
  readonly stateDir: string;
  readonly sshConfig: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly children = new Set<CliChild>();

  constructor(label = 'runcode-cli-') {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), label));
    this.home = path.join(this.root, 'home');
    this.stateDir = path.join(this.root, 'state');
    this.sshConfig = path.join(this.home, '.ssh', 'config');
    fs.mkdirSync(path.dirname(this.sshConfig), { recursive: true, mode: 0o700 });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: this.home,
      RUNCODE_HOME: this.stateDir,
      RUNCODE_SSH_CONFIG: this.sshConfig,
    };
    // Nothing of the developer's own ssh setup may help a test pass.
    delete env.SSH_AUTH_SOCK;
    delete env.RUNCODE_DEBUG;
    this.env = env;
  }

  /** `node bin/runcode ARGS` to completion. */
  run(args: string[], o: { timeoutMs?: number } = {}): Promise<ProcessResult> {
    return runProcess(process.execPath, [BIN, ...args], { env: this.env, timeoutMs: o.timeoutMs ?? 30_000 });
  }

  /** `node bin/runcode ARGS` left running. */
  spawn(args: string[]): CliChild {
    const child = spawn(process.execPath, [BIN, ...args], { env: this.env, stdio: 'pipe' });
    child.stdin.end();
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const done = new Promise<ProcessResult>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err })),
    );
    const handle: CliChild = {
      child,
      stdout: () => out,
      stderr: () => err,
      waitForStderr: (re, timeoutMs = 15_000) =>
        new Promise((resolve, reject) => {
          const check = () => {
            const m = re.exec(err);
            if (!m) return false;
            cleanup();
            resolve(m);
            return true;
          };
          const onExit = () => {
            if (!check()) {
              cleanup();
              reject(new Error(`runcode ${args[0]} exited before ${re}; stderr: ${err}`));
            }
          };
          const timer = setTimeout(() => {
            cleanup();
            reject(new Error(`runcode ${args[0]}: no ${re} on stderr in ${timeoutMs} ms; stderr: ${err}`));
          }, timeoutMs);
          const cleanup = () => {
            clearTimeout(timer);
            child.stderr.off('data', check);
            child.off('close', onExit);
          };
          if (check()) return;
          child.stderr.on('data', check);
          child.on('close', onExit);
        }),
      result: () => done,
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
        const r = await done;
        clearTimeout(hard);
        this.children.delete(handle);
        return r;
      },
    };
    this.children.add(handle);
    return handle;
  }

  /**
   * `runcode login --no-browser`, acting as the browser: reads the URL from stderr, GETs the
   * authorize page, answers the consent form (or is redirected at once with --auto-approve) and
   * follows the redirect to the CLI's loopback listener.
   */
  async login(
    server: CliServer,
    decision: 'approve' | 'deny' = 'approve',
  ): Promise<ProcessResult & { url: string; page: Page }> {
    const login = this.spawn(['login', '--no-browser', '--endpoint', server.endpoint, '--ca', server.caFile]);
    try {
      const [, url] = await login.waitForStderr(/^\s+(https:\/\/\S+\/oauth\/authorize\?\S+)$/m);
      const page = await browse(server, url!, decision);
      return { ...(await login.result()), url: url!, page };
    } finally {
      await login.stop();
    }
  }

  /** RunCode's own ssh config, which `connect` writes (the ~/.ssh/config block only after `config-ssh`). */
  get ownSshConfig(): string {
    return path.join(this.stateDir, 'ssh_config');
  }

  /** The real OpenSSH client with only one config (default: RunCode's own) and no prompts. */
  ssh(
    host: string,
    command: string[],
    extra: string[] = [],
    config = this.ownSshConfig,
  ): Promise<ProcessResult> {
    return runProcess('ssh', ['-F', config, '-o', 'BatchMode=yes', ...extra, host, ...command], {
      env: this.env,
      timeoutMs: 20_000,
    });
  }

  /** `GIT_SSH_COMMAND` that reads RunCode's own ssh config. */
  get gitSshCommand(): string {
    return `ssh -F '${this.ownSshConfig}' -o BatchMode=yes`;
  }

  path(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.children].map((c) => c.stop()));
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
