// What the forward figures share: the measuring client in its own process (forwardProbe.mjs),
// OpenSSH's `ssh -N -L` through the same gateway, free ports and waiting for a listener.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import type { GatewayHost } from '../../src/core/forwards/testing/gatewayHostProcess.js';
import type { SshTarget } from '../../src/core/ssh/sshTarget.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

export async function waitForPort(port: number, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Probe {
  ask<T>(req: Record<string, unknown>): Promise<T>;
  close(): void;
}

/** The measuring client runs in its own process, as a browser would. */
export function startProbe(): Probe {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'forwardProbe.mjs')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const rl = readline.createInterface({ input: child.stdout! });
  const queue: Array<(line: string) => void> = [];
  rl.on('line', (line) => queue.shift()?.(line));
  return {
    ask<T>(req: Record<string, unknown>): Promise<T> {
      return new Promise((resolve, reject) => {
        queue.push((line) => {
          const r = JSON.parse(line) as T & { error?: string };
          if (r.error) reject(new Error(r.error));
          else resolve(r);
        });
        child.stdin!.write(`${JSON.stringify(req)}\n`);
      });
    },
    close: () => child.kill(),
  };
}

export interface OpenSshForward {
  child: ChildProcess;
  /** The cipher OpenSSH would pick first (what `ssh -G` says). */
  cipher: string;
  /** local port -> the forwarded remote port */
  ports: Map<number, number>;
}

/**
 * `ssh -N -L local:127.0.0.1:remote ...` to the gateway host's demo workspace, with a temp -F
 * config pinning the gateway key (OpenSSH's defaults otherwise; `cipher` overrides).
 */
export async function startOpenSsh(
  gw: GatewayHost,
  target: SshTarget,
  dir: string,
  forwards: Array<{ local: number; remote: number }>,
  cipher = '',
): Promise<OpenSshForward> {
  const cfg = writeOpenSshConfig(gw, target, dir, cipher);
  const args = ['-F', cfg, '-N'];
  for (const f of forwards) args.push('-L', `127.0.0.1:${f.local}:127.0.0.1:${f.remote}`);
  const child = spawn('ssh', [...args, 'gw'], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (const f of forwards) await waitForPort(f.local);
  const picked = await new Promise<string>((resolve) => {
    const q = spawn('ssh', ['-F', cfg, '-G', 'gw']);
    let out = '';
    q.stdout.on('data', (b: Buffer) => (out += b.toString()));
    q.on('close', () => resolve(/^ciphers (\S+)/m.exec(out)?.[1]?.split(',')[0] ?? '?'));
  });
  return { child, cipher: picked, ports: new Map(forwards.map((f) => [f.local, f.remote])) };
}

/** A temp -F config (host `gw`) for the gateway host's demo workspace; returns its path. */
export function writeOpenSshConfig(gw: GatewayHost, target: SshTarget, dir: string, cipher = ''): string {
  const key = path.join(dir, 'id_ed25519');
  fs.writeFileSync(key, target.privateKey, { mode: 0o600 });
  const known = path.join(dir, 'known_hosts');
  fs.writeFileSync(known, `runcode-gateway ${gw.hostPublicKey}\n`);
  const cfg = path.join(dir, 'config');
  fs.writeFileSync(
    cfg,
    [
      'Host gw',
      '  HostName 127.0.0.1',
      `  Port ${gw.gatewayPort}`,
      `  User ${gw.user}`,
      `  IdentityFile "${key}"`,
      '  IdentitiesOnly yes',
      '  IdentityAgent none',
      `  UserKnownHostsFile "${known}"`,
      '  HostKeyAlias runcode-gateway',
      '  StrictHostKeyChecking yes',
      '  UpdateHostKeys no',
      '  ExitOnForwardFailure yes',
      '  BatchMode yes',
      ...(cipher ? [`  Ciphers ${cipher}`] : []),
      '',
    ].join('\n'),
  );
  return cfg;
}
