// What most CLI integration test files start and end with: the built CLI, an auto-approving
// `runcode server` (127.0.0.1, port 0, a child process) and a sandbox signed in to it.
import { expect } from 'vitest';
import type { LocalServerOptions } from '../../core/testing/localServerProcess.js';
import type { CliServer } from './cliSandbox.js';
import { CliSandbox, requireBuiltCli, startCliServer } from './cliSandbox.js';

export interface CliWorld {
  server: CliServer;
  b: CliSandbox;
}

export interface CliWorldOptions {
  /** The sandbox's temp dir prefix (CliSandbox's own default otherwise). */
  label?: string;
  /** More for the server (it always auto-approves). */
  server?: Omit<LocalServerOptions, 'launch' | 'autoApprove'>;
  /** Runs before the sign-in: a user's ~/.ssh/config to keep, say. */
  prepare?: (b: CliSandbox) => void;
  /** `runcode login` against the server (default true). */
  login?: boolean;
}

/** For beforeAll: the server and the sandbox; both are stopped again if the sign-in fails. */
export async function startCliWorld(o: CliWorldOptions = {}): Promise<CliWorld> {
  requireBuiltCli();
  const server = await startCliServer({ ...o.server, autoApprove: true });
  const b = new CliSandbox(o.label);
  try {
    o.prepare?.(b);
    if (o.login !== false) expect((await b.login(server)).code).toBe(0);
  } catch (e) {
    await stopCliWorld({ server, b });
    throw e;
  }
  return { server, b };
}

/** For afterAll: the sandbox (and any `runcode` it left running) first, then the server. */
export async function stopCliWorld(w: Partial<CliWorld>): Promise<void> {
  await w.b?.dispose();
  await w.server?.close();
}
