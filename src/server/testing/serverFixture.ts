// startTestServer: a real local RunCode server for tests, in a temp data dir (removed on close),
// with its own workspaces.json on free ports and short delays.
//
//   const srv = await startTestServer();            // workspaces 'api' (ws-api) and 'web' (ws-web)
//   try { const token = await srv.token(); ... }    // https with `ca: srv.ca`
//   finally { await srv.close(); }
//
// 'api' serves `API_PAGE` over http on 127.0.0.1:srv.apiPort while running. Pass `dataDir` to
// reuse a directory (restart tests); it is then left in place on close.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningServer, ServerOptions } from '../startServer.js';
import { startServer } from '../startServer.js';
import type { WorkspaceDefInput } from '../workspaceCatalog.js';
import { freePort } from '../workspaceCatalog.js';
import { oauthLogin } from './oauthLogin.js';

export const API_PAGE = 'hello from the api workspace\n';

export interface TestServerOptions extends Partial<ServerOptions> {
  /** Written to workspaces.json; default: 'api' (a page on a free port) and 'web'. */
  workspaces?: WorkspaceDefInput[];
}

export interface TestServer extends RunningServer {
  dataDir: string;
  /** The CA certificate (PEM), for `https.request({ ca })`. */
  ca: string;
  /** The port of the default 'api' workspace's page (undefined with custom workspaces). */
  apiPort: number | undefined;
  /** A fresh access token: OAuth + PKCE, approving the consent page if one is shown. */
  token(): Promise<string>;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const { workspaces, ...serverOpts } = opts;
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-server-'));
  let apiPort: number | undefined;
  let defs = workspaces;
  if (!defs && !fs.existsSync(path.join(dataDir, 'workspaces.json'))) {
    apiPort = await freePort();
    defs = [
      {
        name: 'api',
        ports: [{ port: apiPort, label: 'demo' }],
        services: [{ type: 'static-http', port: apiPort, body: API_PAGE }],
      },
      { name: 'web', ports: [] },
    ];
  }
  if (defs) fs.writeFileSync(path.join(dataDir, 'workspaces.json'), JSON.stringify({ workspaces: defs }));
  let server: RunningServer;
  try {
    server = await startServer({
      autoApprove: true,
      bootDelayMs: 50,
      stopDelayMs: 20,
      ...serverOpts,
      dataDir,
    });
  } catch (e) {
    if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const ca = fs.readFileSync(server.caFile, 'utf8');
  return {
    ...server,
    dataDir,
    ca,
    apiPort,
    token: () => oauthLogin(server.endpoint, ca, server.ownerSecret),
    close: async () => {
      await server.close();
      if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
