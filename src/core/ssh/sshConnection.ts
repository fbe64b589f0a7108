// One authenticated ssh2 connection to the gateway, built so it cannot be misused: the gateway
// must present a pinned host key (compared as the full wire blob, never a fingerprint or "trust on
// first use"), we offer only the pass's key (no agent, no password, no keyboard-interactive), and
// the socket has Nagle off so small interactive writes are not held back.
import net from 'node:net';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, Client, ConnectConfig } from 'ssh2';
import { RuncodeError } from '../errors.js';
import { parseEd25519PublicKey } from './opensshKey.js';
import type { SshTarget } from './sshTarget.js';

export interface ConnectOptions {
  /** Limit for TCP connect + handshake + authentication. Default 20 s. */
  readyTimeoutMs?: number;
  signal?: AbortSignal;
  /**
   * ssh2's own keepalive interval; 0 turns it off (the forwards share one keepalive for all
   * their connections: forwards/linkKeepalive.ts). Default KEEPALIVE_INTERVAL_MS.
   */
  keepaliveIntervalMs?: number;
}

export const KEEPALIVE_INTERVAL_MS = 15_000;

/** The pinned keys' wire blobs; throws when there is none (a client without pins must not exist). */
export function pinnedHostKeyBlobs(hostKeys: readonly string[]): Buffer[] {
  const blobs: Buffer[] = [];
  for (const line of hostKeys) {
    const parsed = parseEd25519PublicKey(line);
    if (!parsed) {
      throw new RuncodeError(
        'host_key_invalid',
        'a pinned gateway host key is not an ssh-ed25519 key; reconnect',
      );
    }
    blobs.push(parsed.blob);
  }
  if (blobs.length === 0) {
    throw new RuncodeError(
      'host_key_missing',
      'no pinned gateway host key for this workspace; refusing to connect (reconnect to get a fresh pass)',
    );
  }
  return blobs;
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EADDRNOTAVAIL',
]);

/** Maps an ssh2/socket error to the RuncodeError a user sees. */
export function mapSshError(
  err: unknown,
  target: Pick<SshTarget, 'host' | 'port'>,
  hostKeyRejected = false,
): RuncodeError {
  if (err instanceof RuncodeError) return err;
  const e = (err ?? {}) as { message?: string; level?: string; code?: unknown };
  const where = `${target.host}:${target.port}`;
  if (hostKeyRejected) {
    return new RuncodeError('host_key_mismatch', "the gateway's host key changed; refusing to connect", {
      cause: err,
    });
  }
  if (e.level === 'client-authentication') {
    return new RuncodeError(
      'auth_refused',
      'the gateway refused the key: the pass may have expired; reconnect',
      {
        cause: err,
      },
    );
  }
  if (e.level === 'client-timeout' || e.code === 'ETIMEDOUT') {
    return new RuncodeError('timeout', `the gateway at ${where} did not answer in time`, { cause: err });
  }
  if (
    (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) ||
    e.message === 'Connection lost before handshake'
  ) {
    return new RuncodeError('unreachable', `cannot reach the gateway at ${where} (${e.code ?? e.message})`, {
      cause: err,
    });
  }
  return new RuncodeError(
    'ssh_failed',
    `the SSH connection to ${where} failed: ${e.message ?? String(err)}`,
    {
      cause: err,
    },
  );
}

/**
 * Connects and authenticates. Resolves once the connection is ready; the client then carries a
 * no-op 'error' listener (so a later error cannot crash the process): watch 'close', and add your
 * own 'error' listener (with mapSshError) for the reason.
 */
export function connectSsh(target: SshTarget, opts: ConnectOptions = {}): Promise<Client> {
  // Before any I/O: no pins, no client (a rejection, never a socket).
  let pins: Buffer[];
  try {
    pins = pinnedHostKeyBlobs(target.hostKeys);
  } catch (e) {
    return Promise.reject(e);
  }
  if (opts.signal?.aborted) return Promise.reject(aborted());

  return new Promise<Client>((resolve, reject) => {
    const client = new ssh2.Client();
    const sock = new net.Socket();
    let hostKeyRejected = false;
    let settled = false;

    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      client.off('ready', onReady);
      if (err === undefined) {
        resolve(client);
        return;
      }
      client.end();
      sock.destroy();
      reject(mapSshError(err, target, hostKeyRejected));
    };
    const onReady = (): void => finish();
    const onAbort = (): void => finish(aborted());

    client.on('error', (err) => finish(err));
    client.on('close', () => finish(new Error('Connection lost before handshake')));
    client.once('ready', onReady);
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const config: ConnectConfig = {
      sock,
      username: target.user,
      hostVerifier: (key: Buffer) => {
        const ok = pins.some((pin) => pin.equals(key));
        if (!ok) hostKeyRejected = true;
        return ok;
      },
      // Only the pass's key, once; `false` afterwards ends authentication.
      authHandler: (() => {
        let offered = false;
        return (_left: unknown, _partial: unknown, next: (m: false | AnyAuthMethod) => void) => {
          if (offered) return next(false);
          offered = true;
          next({ type: 'publickey', username: target.user, key: target.privateKey });
        };
      })() as ConnectConfig['authHandler'],
      agent: undefined,
      tryKeyboard: false,
      keepaliveInterval: opts.keepaliveIntervalMs ?? KEEPALIVE_INTERVAL_MS,
      keepaliveCountMax: 3,
      readyTimeout: opts.readyTimeoutMs ?? 20_000,
      algorithms: { serverHostKey: ['ssh-ed25519'] },
    };
    sock.setNoDelay(true);
    // ssh2 waits for this socket's 'connect', and its readyTimeout covers the TCP connect too.
    sock.connect({ host: target.host, port: target.port });
    try {
      client.connect(config);
    } catch (e) {
      finish(e);
    }
  });
}

function aborted(): RuncodeError {
  return new RuncodeError('cancelled', 'the SSH connection was cancelled');
}

/**
 * Runs `fn` over `client` and ends the connection afterwards. connectSsh leaves a no-op 'error'
 * listener; a mid-operation failure surfaces as the operation's own error, and the connection's
 * reason is kept only for a failure that has none (not a RuncodeError).
 */
export async function useSshClient<T>(
  client: Client,
  target: SshTarget,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  let lost: RuncodeError | undefined;
  client.on('error', (e) => (lost = mapSshError(e, target)));
  try {
    return await fn(client);
  } catch (e) {
    throw lost && !(e instanceof RuncodeError) ? lost : e;
  } finally {
    client.end();
  }
}
