// The local RunCode server: the HTTPS control plane (protocol v1) and the SSH gateway, over one
// data directory. Not a sandbox: workspace commands run as the server's own user.
import https from 'node:https';
import type net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { RuncodeError } from '../core/errors.js';
import { ensureTlsMaterial } from './ca.js';
import { ConnectionCap } from './connectionCap.js';
import { EventHub } from './eventHub.js';
import { startGateway } from './gateway.js';
import { ensureHostKey } from './hostKey.js';
import { ensureOwnerSecret } from './ownerSecretFile.js';
import { OAuthServer } from './oauthServer.js';
import { createRequestHandler } from './requestHandler.js';
import { ServerStore } from './serverStore.js';
import { sftpServerStatus } from './sftpServerStatus.js';
import { loadWorkspaceCatalog } from './workspaceCatalog.js';
import { WorkspaceManager } from './workspaceManager.js';

export interface ServerOptions {
  dataDir: string;
  /** Default 127.0.0.1. Anything not loopback is refused unless allowNonLoopback is set. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  gatewayPort?: number;
  /** Lifetime of an SSH pass; default 1800. */
  passTtlSeconds?: number;
  /** starting -> running takes this long; default 1500. */
  bootDelayMs?: number;
  /** The consent step approves itself (the PKCE exchange still happens). */
  autoApprove?: boolean;
  log?: (line: string) => void;
  /** Set only when a person asked for a non-loopback host explicitly. */
  allowNonLoopback?: boolean;
  /** stopping -> stopped; default min(bootDelayMs, 500). */
  stopDelayMs?: number;
  /** SSE heartbeat; default 15 000 (protocol v1). */
  heartbeatMs?: number;
  /** Past events kept for Last-Event-ID resume; default 256. */
  eventBufferSize?: number;
  /** Access token lifetime; default 30 days. */
  tokenTtlSeconds?: number;
  /** The clock, for tests of expiry (codes, tokens, passes). */
  now?: () => number;
}

export interface RunningServer {
  /** `https://127.0.0.1:PORT` */
  endpoint: string;
  /** Absolute path of the CA certificate clients trust. */
  caFile: string;
  /** Sign-in needs it (see core/auth/ownerSecret.ts); in a 0600 file beside caFile. */
  ownerSecret: string;
  /** `127.0.0.1:PORT` */
  gateway: string;
  close(): Promise<void>;
}

const HANDSHAKE_TIMEOUT_MS = 10_000;
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** Per listener; a flood of idle sockets makes room for real clients (see ConnectionCap). */
export const MAX_CONNECTIONS = 256;

const isLoopback = (h: string) => h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
const urlHost = (h: string) => (h.includes(':') ? `[${h}]` : h);

function check(cond: boolean, option: string, what: string): void {
  if (!cond) throw new RuncodeError('invalid_argument', `${option} ${what}`);
}

function validate(o: ServerOptions): void {
  const port = (p: number | undefined) => p === undefined || (Number.isInteger(p) && p >= 0 && p <= 65535);
  check(port(o.port), 'port', 'must be 0-65535');
  check(port(o.gatewayPort), 'gatewayPort', 'must be 0-65535');
  check(
    o.passTtlSeconds === undefined || (Number.isFinite(o.passTtlSeconds) && o.passTtlSeconds > 0),
    'passTtlSeconds',
    'must be more than 0',
  );
  check(
    o.bootDelayMs === undefined || (Number.isFinite(o.bootDelayMs) && o.bootDelayMs >= 0),
    'bootDelayMs',
    'must be 0 or more',
  );
  const host = o.host ?? '127.0.0.1';
  if (!isLoopback(host) && !o.allowNonLoopback) {
    throw new RuncodeError(
      'non_loopback_host',
      `refusing to listen on ${host}: this is a development server, not a sandbox; ask for a non-loopback host explicitly`,
    );
  }
}

function listen(server: https.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new RuncodeError('port_in_use', `port ${port} on ${host} is already in use`)
          : e,
      ),
    );
    server.listen(port, host, () => resolve((server.address() as net.AddressInfo).port));
  });
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  validate(opts);
  const log = opts.log ?? (() => {});
  const now = opts.now ?? Date.now;
  const host = opts.host ?? '127.0.0.1';
  const bootDelayMs = opts.bootDelayMs ?? 1500;
  const tls = await ensureTlsMaterial(opts.dataDir);
  const ownerSecret = ensureOwnerSecret(opts.dataDir);
  const store = new ServerStore(opts.dataDir, await loadWorkspaceCatalog(opts.dataDir), now);
  const hostKey = ensureHostKey(opts.dataDir);
  // Passes point at a gateway clients can reach: a wildcard bind is reached on loopback.
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;

  let controlPort = 0;
  const gw = await startGateway({
    backend: store,
    ownPorts: () => [controlPort],
    hostKey: hostKey.privateKey,
    host,
    port: opts.gatewayPort ?? 0,
    log: (m) => log(m.startsWith('gateway') ? m : `gateway: ${m}`),
  });
  const gatewayPort = gw.port;
  const gatewayClose = () => gw.close();

  const manager = new WorkspaceManager(store, {
    bootDelayMs,
    stopDelayMs: opts.stopDelayMs ?? Math.min(bootDelayMs, 500),
    log,
  });
  const events = new EventHub(store, {
    heartbeatMs: opts.heartbeatMs ?? 15_000,
    bufferSize: opts.eventBufferSize ?? 256,
  });
  const oauth = new OAuthServer({
    store,
    autoApprove: opts.autoApprove ?? false,
    tokenTtlSeconds: opts.tokenTtlSeconds ?? 30 * 86_400,
    now,
    log,
    onRevoked: (hash) => events.closeToken(hash),
    ownerSecret,
  });
  const server = https.createServer(
    // A socket that has not finished TLS in 10 s is dropped (Node's default waits 120 s).
    { cert: tls.cert, key: tls.key, handshakeTimeout: HANDSHAKE_TIMEOUT_MS },
    createRequestHandler({
      store,
      manager,
      events,
      oauth,
      log,
      now,
      passTtlSeconds: opts.passTtlSeconds ?? 1800,
      sftpServer: () => sftpServerStatus(),
      gateway: () => ({ host: publicHost, port: gatewayPort, hostKey: hostKey.publicKey }),
    }),
  );
  // Slow or half-sent requests and idle keep-alive sockets do not hold a slot for long.
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  const cap = new ConnectionCap(MAX_CONNECTIONS, log, 'control plane');
  server.on('connection', (socket: net.Socket) => void cap.admit(socket));
  server.on('secureConnection', (s: TLSSocket) =>
    cap.proven((s as TLSSocket & { _parent?: net.Socket })._parent),
  );
  let port: number;
  try {
    port = await listen(server, opts.port ?? 0, host);
    controlPort = port;
  } catch (e) {
    await Promise.all([events.close(), gatewayClose()]);
    throw e;
  }
  const endpoint = `https://${urlHost(publicHost)}:${port}`;
  store.endpoint = endpoint;
  await manager.resume();
  if (!isLoopback(host))
    log(
      `WARNING: listening on ${host}, not loopback. This is a development server, not a sandbox: anyone signed in runs commands as ${process.env.USER ?? 'this user'}.`,
    );
  log(
    `control plane ${endpoint} (CA ${tls.caFile}); gateway ${publicHost}:${gatewayPort}; data ${opts.dataDir}`,
  );

  let closing: Promise<void> | undefined;
  return {
    endpoint,
    caFile: tls.caFile,
    ownerSecret,
    gateway: `${urlHost(publicHost)}:${gatewayPort}`,
    close: () =>
      (closing ??= (async () => {
        events.close();
        const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await Promise.all([httpClosed, manager.close(), gatewayClose()]);
      })()),
  };
}
