// Starts the real local server (bench/lib/serverHost.ts) in its own process with N workspaces,
// signs in (OAuth + PKCE, auto-approved), and builds the core (RuncodeApp) against it in a temp
// HOME and state dir, the way the CLI and the tray do (an in-memory secret store).
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RuncodeApp } from '../../src/core/app/runcodeApp.js';
import { startReadyLineProcess } from '../../src/core/testing/readyLineProcess.js';
import { MemorySecretStore } from '../../src/core/secrets/memorySecretStore.js';
import { SettingsFile } from '../../src/core/state/settingsFile.js';
import type { ServerOptions } from '../../src/server/startServer.js';
import { readOwnerSecret } from '../../src/core/auth/ownerSecret.js';
import { oauthLogin } from '../../src/server/testing/oauthLogin.js';
import type { WorkspaceDefInput } from '../../src/server/workspaceCatalog.js';

export interface LocalServer {
  endpoint: string;
  caFile: string;
  gateway: string;
  dataDir: string;
  child: ChildProcess;
  token(): Promise<string>;
  close(): Promise<void>;
  /**
   * Stops the server (SIGTERM) but keeps its data dir (workspaces, tokens, host key, CA); the
   * returned `restart` starts it again on the same ports, as a restarted `runcode server` would.
   */
  stop(): Promise<{ restart(): Promise<LocalServer> }>;
}

/** Workspaces `ws-0`, `ws-1`, ... (a name per index), with optional services. */
export function workspaceDefs(count: number, extra: (i: number) => Partial<WorkspaceDefInput> = () => ({})) {
  return Array.from({ length: count }, (_, i): WorkspaceDefInput => ({
    name: `ws-${i}`,
    ports: [],
    ...extra(i),
  }));
}

export async function startLocalServer(
  workspaces: WorkspaceDefInput[],
  opts: Partial<ServerOptions> = {},
): Promise<LocalServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-srv-'));
  fs.writeFileSync(path.join(dataDir, 'workspaces.json'), JSON.stringify({ workspaces }));
  return runLocalServer({ ...opts, dataDir });
}

async function runLocalServer(opts: Partial<ServerOptions> & { dataDir: string }): Promise<LocalServer> {
  const { dataDir } = opts;
  const p = await startReadyLineProcess<{ endpoint: string; caFile: string; gateway: string }>(
    [
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'serverHost.ts'),
      JSON.stringify({ bootDelayMs: 0, stopDelayMs: 0, ...opts, dataDir }),
    ],
    // stdin stays open: the host stops when its parent goes away.
    { dataDir, stdio: ['pipe', 'pipe', 'inherit'], label: 'the local server' },
  );
  const ca = fs.readFileSync(p.ready.caFile, 'utf8');
  return {
    ...p.ready,
    dataDir,
    child: p.child,
    token: () => oauthLogin(p.ready.endpoint, ca, readOwnerSecret(p.ready.endpoint, p.ready.caFile)),
    close: p.close,
    stop: async () => {
      const exited = new Promise((r) => p.child.once('exit', r));
      if (p.child.exitCode === null && p.child.signalCode === null) {
        p.child.kill('SIGTERM');
        await exited;
      }
      const port = Number(new URL(p.ready.endpoint).port);
      const gatewayPort = Number(p.ready.gateway.slice(p.ready.gateway.lastIndexOf(':') + 1));
      return { restart: () => runLocalServer({ ...opts, port, gatewayPort }) };
    },
  };
}

export interface BenchCore {
  app: RuncodeApp;
  home: string;
  stateDir: string;
  sshConfig: string;
  dispose(): Promise<void>;
}

/** A RuncodeApp signed in to `server`, with its own temp HOME (~/.ssh/config) and state dir. */
export async function benchCore(server: LocalServer): Promise<BenchCore> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-core-'));
  const home = path.join(root, 'home');
  const stateDir = path.join(root, 'state');
  const sshConfig = path.join(home, '.ssh', 'config');
  fs.mkdirSync(path.dirname(sshConfig), { recursive: true, mode: 0o700 });
  const app = new RuncodeApp({
    stateDir,
    sshConfigPath: sshConfig,
    secrets: new MemorySecretStore(),
    settings: new SettingsFile(stateDir),
  });
  await app.session.adoptToken(server.endpoint, server.caFile, await server.token());
  return {
    app,
    home,
    stateDir,
    sshConfig,
    dispose: async () => {
      await app.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Starts every workspace (boot delay 0) and waits until all are running. */
export async function startAll(app: RuncodeApp): Promise<void> {
  const api = await app.session.api();
  const all = await api.listWorkspaces();
  const queue = all.filter((w) => w.state !== 'running');
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let w = queue.shift(); w; w = queue.shift()) await api.startWorkspace(w.id);
    }),
  );
  for (let i = 0; i < 200; i++) {
    if ((await api.listWorkspaces()).every((w) => w.state === 'running')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the workspaces did not all reach running');
}
