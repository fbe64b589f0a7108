// A running gateway for tests: a temp dir holding the host key, two workspaces (`alpha`,
// `beta`, each a directory, both running) in a MemoryBackend, and a client config for alpha
// whose key holds a pass. close() stops the gateway and removes the temp dir.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { startGateway } from '../gateway.js';
import type { Gateway, GatewayOptions } from '../gateway.js';
import { ensureHostKey } from '../hostKey.js';
import { MemoryBackend } from './memoryBackend.js';
import { writeSshClientConfig } from './sshClientConfig.js';
import type { SshClientConfig } from './sshClientConfig.js';

export interface GatewayFixture {
  root: string;
  gateway: Gateway;
  backend: MemoryBackend;
  hostPublicKey: string;
  /** alpha's directory. */
  alphaDir: string;
  betaDir: string;
  /** A client for alpha with a pass valid for an hour. */
  client: SshClientConfig;
  logs: string[];
  /** A further client (own dir and key) for `user`; its key is registered for `workspaceId` unless null. */
  newClient(name: string, user?: string, workspaceId?: string | null, ttlMs?: number): SshClientConfig;
  close(): Promise<void>;
}

export async function startGatewayFixture(
  options: Pick<GatewayOptions, 'sftpServerPaths'> = {},
): Promise<GatewayFixture> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-gw-'));
  const logs: string[] = [];
  const backend = new MemoryBackend();
  const alphaDir = path.join(root, 'workspaces', 'alpha');
  const betaDir = path.join(root, 'workspaces', 'beta');
  fs.mkdirSync(alphaDir, { recursive: true });
  fs.mkdirSync(betaDir, { recursive: true });
  backend.addWorkspace({ id: 'ws-alpha', name: 'alpha', dir: alphaDir });
  backend.addWorkspace({ id: 'ws-beta', name: 'beta', dir: betaDir });
  const hostKey = ensureHostKey(path.join(root, 'server'));
  const gateway = await startGateway({
    ...options,
    backend,
    hostKey: hostKey.privateKey,
    log: (m) => logs.push(m),
  });
  const newClient: GatewayFixture['newClient'] = (
    name,
    user = 'alpha',
    workspaceId = 'ws-alpha',
    ttlMs = 3_600_000,
  ) => {
    const c = writeSshClientConfig({
      dir: path.join(root, 'clients', name),
      port: gateway.port,
      user,
      hostPublicKey: hostKey.publicKey,
    });
    if (workspaceId) backend.registerKey(workspaceId, c.keyPair.publicBlob, Date.now() + ttlMs);
    return c;
  };
  return {
    root,
    gateway,
    backend,
    hostPublicKey: hostKey.publicKey,
    alphaDir,
    betaDir,
    client: newClient('main'),
    logs,
    newClient,
    close: async () => {
      await gateway.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** An ssh2 client logged in to `f`'s gateway as alpha (its gateway key checked), for requests OpenSSH cannot be made to send. */
export function ssh2Alpha(f: GatewayFixture): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const conn = new ssh2.Client();
    conn.on('ready', () => resolve(conn));
    conn.on('error', reject);
    conn.connect({
      host: '127.0.0.1',
      port: f.gateway.port,
      username: 'alpha',
      privateKey: f.client.keyPair.privateKey,
      hostVerifier: (key: Buffer) => key.toString('base64') === f.hostPublicKey.split(' ')[1],
    });
  });
}
