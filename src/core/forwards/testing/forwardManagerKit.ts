// Setup shared by the ForwardManager tests against the real gateway host (forwardManager*.test.ts):
// a manager aimed at its demo workspace, a plain HTTP GET, a free local port, a pass's public key.
import http from 'node:http';
import net from 'node:net';
import ssh2 from 'ssh2';
import type { SshTarget } from '../../ssh/sshTarget.js';
import { ForwardManager } from '../forwardManager.js';
import type { GatewayHost } from './gatewayHostProcess.js';

/** What the demo workspace's page says. */
export const DEMO = 'hello from the demo workspace';

export function get(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** A manager whose target is the gateway host's demo workspace, with a fresh pass per target request. */
export function managerOn(
  gw: GatewayHost,
  freshPassEachTime = false,
): {
  fm: ForwardManager;
  targets: SshTarget[];
  retryDelays: number[];
} {
  const targets: SshTarget[] = [];
  const retryDelays: number[] = [];
  let shared: Promise<SshTarget> | undefined;
  const fm = new ForwardManager({
    getTarget: async () => {
      const t = await (freshPassEachTime ? gw.newTarget() : (shared ??= gw.newTarget()));
      targets.push(t);
      return t;
    },
    backoff: { baseMs: 200, maxMs: 1_000 },
    statsIntervalMs: 50,
    links: {
      state: () => {},
      retryAt: (_ws, atMs) => retryDelays.push(atMs - Date.now()),
      roundTrip: () => {},
      closed: () => {},
    },
  });
  return { fm, targets, retryDelays };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

export function pubOf(t: SshTarget): string {
  return sshPublicOf(t.privateKey);
}

function sshPublicOf(pem: string): string {
  const k = ssh2.utils.parseKey(pem);
  const key = Array.isArray(k) ? k[0] : k;
  if (!key || key instanceof Error) throw new Error('bad key');
  return `ssh-ed25519 ${key.getPublicSSH().toString('base64')}`;
}
