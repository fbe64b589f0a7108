// Starts bench/lib/gatewayHost.ts (the real gateway + an in-memory backend + a demo workspace's
// services) in a child process and drives it over IPC. Core may not import server code, so core's
// tests reach the gateway the way the app does: over a socket, in another process.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateEd25519KeyPair } from '../../ssh/opensshKey.js';
import type { SshTarget } from '../../ssh/sshTarget.js';

export const GATEWAY_HOST_SCRIPT = fileURLToPath(
  new URL('../../../../bench/lib/gatewayHost.ts', import.meta.url),
);

export interface GatewayHostInfo {
  gatewayPort: number;
  hostPublicKey: string;
  user: string;
  dir: string;
  ports: { http: number; echo: number; source: number };
}

export interface GatewayHost extends GatewayHostInfo {
  child: ChildProcess;
  call(cmd: string, args?: Record<string, unknown>): Promise<unknown>;
  /** A fresh key with a pass for the demo workspace, as a target. */
  newTarget(ttlMs?: number): Promise<SshTarget>;
  close(): Promise<void>;
}

export async function startGatewayHost(): Promise<GatewayHost> {
  const child = fork(GATEWAY_HOST_SCRIPT, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let seq = 0;
  const info = await new Promise<GatewayHostInfo>((resolve, reject) => {
    const onExit = (code: number | null): void =>
      reject(new Error(`gateway host exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.on(
      'message',
      (m: { type?: string; id?: number; ok?: boolean; result?: unknown; error?: string }) => {
        if (m.type === 'ready') {
          child.off('exit', onExit);
          resolve(m as unknown as GatewayHostInfo);
          return;
        }
        const p = m.id === undefined ? undefined : pending.get(m.id);
        if (!p) return;
        pending.delete(m.id!);
        if (m.ok) p.resolve(m.result);
        else p.reject(new Error(m.error));
      },
    );
  });
  const call = (cmd: string, args: Record<string, unknown> = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve, reject });
      child.send({ id, cmd, ...args });
    });
  return {
    ...info,
    child,
    call,
    async newTarget(ttlMs = 3_600_000) {
      const pair = generateEd25519KeyPair('forward-test');
      await call('registerKey', { publicKey: pair.publicKey, ttlMs });
      return {
        host: '127.0.0.1',
        port: info.gatewayPort,
        user: info.user,
        privateKey: pair.privateKey,
        hostKeys: [info.hostPublicKey],
      };
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      await call('exit').catch(() => undefined);
      const t = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(t);
    },
  };
}
