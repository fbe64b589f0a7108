// Authentication through the gateway with the real OpenSSH client (and an ssh2 client for the
// attacks OpenSSH will not make).
import { spawn } from 'node:child_process';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEd25519KeyPair } from '../core/ssh/opensshKey.js';
import { startGatewayFixture } from './testing/gatewayFixture.js';
import type { GatewayFixture } from './testing/gatewayFixture.js';
import { runProcess } from './testing/runProcess.js';
import type { SshClientConfig } from './testing/sshClientConfig.js';
import { writeSshClientConfig } from './testing/sshClientConfig.js';

let f: GatewayFixture;
beforeAll(async () => {
  f = await startGatewayFixture();
});
afterAll(async () => {
  await f?.close();
});

const ssh = (c: SshClientConfig, ...args: string[]) =>
  runProcess('ssh', ['-F', c.configFile, c.host, ...args]);

/** The gateway's log lines added while `fn` ran. */
async function logsDuring(fn: () => Promise<void>): Promise<string> {
  const start = f.logs.length;
  await fn();
  return f.logs.slice(start).join('\n');
}

function expectRefused(r: { code: number | null; stderr: string }): void {
  expect(r.code).toBe(255);
  expect(r.stderr).toMatch(/Permission denied \(publickey\)/);
}

describe('gateway authentication', () => {
  it('lets a key with a pass in and logs its fingerprint, never the key', async () => {
    const log = await logsDuring(async () => {
      const r = await ssh(f.client, 'echo', 'ok');
      expect(r).toMatchObject({ code: 0, stdout: 'ok\n' });
    });
    expect(log).toContain('authenticated');
    expect(log).toMatch(/SHA256:/);
    const b64 = f.client.keyPair.publicKey.split(' ')[1]!;
    expect(f.logs.join('\n')).not.toContain(b64.slice(0, 24));
  });

  it('advertises publickey only', async () => {
    const c = f.newClient('unknown-v', 'alpha', null);
    const r = await runProcess('ssh', ['-v', '-F', c.configFile, c.host, 'true']);
    expectRefused(r);
    const lines = r.stderr.split('\n').filter((l) => l.includes('Authentications that can continue'));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l.trim()).toMatch(/can continue: publickey$/);
  });

  it.each([
    ['expired', (c: SshClientConfig) => f.backend.expireKey(c.keyPair.publicBlob), 'pass expired'],
    ['revoked', (c: SshClientConfig) => f.backend.revokeKey(c.keyPair.publicBlob), 'pass revoked'],
  ])('refuses a %s pass and logs why', async (name, spoil, reason) => {
    const c = f.newClient(name);
    spoil(c);
    const log = await logsDuring(async () => expectRefused(await ssh(c, 'true')));
    expect(log).toContain(reason);
    expect(log).toMatch(/refused publickey auth for user "alpha" .*key SHA256:/);
  });

  it('refuses a key registered for another workspace, and an unknown key', async () => {
    const other = f.newClient('other-ws', 'alpha', 'ws-beta');
    let log = await logsDuring(async () => expectRefused(await ssh(other, 'true')));
    expect(log).toContain('key belongs to another workspace');
    // The same key does open its own workspace.
    const own = writeSshClientConfig({
      dir: `${f.root}/clients/other-ws-beta`,
      port: f.gateway.port,
      user: 'beta',
      hostPublicKey: f.hostPublicKey,
      keyPair: other.keyPair,
    });
    expect(await ssh(own, 'pwd')).toMatchObject({ code: 0 });
    const unknown = f.newClient('unknown', 'alpha', null);
    log = await logsDuring(async () => expectRefused(await ssh(unknown, 'true')));
    expect(log).toContain('unknown key');
  });

  it('refuses a workspace that is not running', async () => {
    f.backend.addWorkspace({ id: 'ws-gamma', name: 'gamma', dir: f.alphaDir, running: false });
    const c = f.newClient('gamma', 'gamma', 'ws-gamma');
    const log = await logsDuring(async () => expectRefused(await ssh(c, 'true')));
    expect(log).toContain('workspace not running');
  });

  it('decides again at the signed attempt (a pass revoked after the query step is refused)', async () => {
    const c = f.newClient('race');
    const real = f.backend.authenticate.bind(f.backend);
    let calls = 0;
    f.backend.authenticate = (user, blob) => {
      calls++;
      return calls === 1 ? real(user, blob) : { ok: false, reason: 'revoked meanwhile' };
    };
    try {
      const log = await logsDuring(async () => expectRefused(await ssh(c, 'true')));
      expect(calls).toBe(2);
      expect(log).toContain('revoked meanwhile');
    } finally {
      f.backend.authenticate = real;
    }
  });

  it('refuses a forged signature', async () => {
    const pair = generateEd25519KeyPair();
    f.backend.registerKey('ws-alpha', pair.publicBlob, Date.now() + 60_000);
    const key = ssh2.utils.parseKey(pair.privateKey) as ssh2.ParsedKey;
    key.sign = () => Buffer.alloc(64, 7);
    const log = await logsDuring(async () => {
      const err = await new Promise<Error | undefined>((resolve) => {
        const conn = new ssh2.Client();
        conn.on('ready', () => {
          conn.end();
          resolve(undefined);
        });
        conn.on('error', (e) => resolve(e));
        let tries = 0;
        conn.connect({
          host: '127.0.0.1',
          port: f.gateway.port,
          username: 'alpha',
          authHandler: (_left, _partial, next) =>
            tries++ === 0
              ? next({ type: 'publickey', username: 'alpha', key } as never)
              : next(false as never),
        });
      });
      expect(err?.message).toMatch(/authentication methods failed/);
    });
    expect(log).toContain('bad signature');
  });

  it('refuses password auth', async () => {
    const err = await new Promise<Error | undefined>((resolve) => {
      const conn = new ssh2.Client();
      conn.on('ready', () => resolve(undefined));
      conn.on('error', (e) => resolve(e));
      conn.connect({
        host: '127.0.0.1',
        port: f.gateway.port,
        username: 'alpha',
        password: 'hunter2',
        tryKeyboard: true,
      });
    });
    expect(err?.message).toMatch(/authentication methods failed/);
  });

  it('is refused by a client that pinned another host key', async () => {
    const c = writeSshClientConfig({
      dir: `${f.root}/clients/wrong-pin`,
      port: f.gateway.port,
      user: 'alpha',
      hostPublicKey: generateEd25519KeyPair().publicKey,
      keyPair: f.client.keyPair,
    });
    const r = await ssh(c, 'echo', 'should-not-run');
    expect(r.code).toBe(255);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Host key verification failed/);
  });

  it('refuses a new connection once the pass expires, while an established one goes on', async () => {
    const c = f.newClient('short', 'alpha', 'ws-alpha', 2_500);
    const expiresAt = Date.now() + 2_500;
    const held = spawn('ssh', ['-F', c.configFile, c.host, 'cat'], { stdio: 'pipe' });
    try {
      const out: Buffer[] = [];
      held.stdout.on('data', (b: Buffer) => out.push(b));
      const seen = (s: string) =>
        new Promise<void>((resolve, reject) => {
          const t = setInterval(() => {
            if (Buffer.concat(out).toString().includes(s)) {
              clearInterval(t);
              resolve();
            }
          }, 20);
          setTimeout(() => {
            clearInterval(t);
            reject(new Error(`never saw ${s}`));
          }, 10_000);
        });
      held.stdin.write('before\n');
      await seen('before\n');
      await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now()) + 200));
      const log = await logsDuring(async () => expectRefused(await ssh(c, 'true')));
      expect(log).toContain('pass expired');
      held.stdin.write('after\n');
      await seen('after\n');
      held.stdin.end();
      const code = await new Promise((r) => held.on('close', r));
      expect(code).toBe(0);
    } finally {
      held.kill();
    }
  });
});

describe('gateway authentication limits', () => {
  it('disconnects a client after repeated failures', async () => {
    const pair = generateEd25519KeyPair();
    f.backend.registerKey('ws-alpha', pair.publicBlob, Date.now() + 60_000);
    const key = ssh2.utils.parseKey(pair.privateKey) as ssh2.ParsedKey;
    key.sign = () => Buffer.alloc(64, 7);
    let tries = 0;
    const outcome = await new Promise<string>((resolve) => {
      const conn = new ssh2.Client();
      conn.on('ready', () => resolve('ready'));
      conn.on('error', (e) => resolve(`error: ${e.message}`));
      conn.on('close', () => resolve('closed'));
      conn.connect({
        host: '127.0.0.1',
        port: f.gateway.port,
        username: 'alpha',
        authHandler: (_left, _partial, next) => {
          tries++;
          next({ type: 'publickey', username: 'alpha', key } as never);
        },
      });
    });
    expect(outcome).not.toBe('ready');
    expect(tries).toBeLessThanOrEqual(7);
    expect(f.logs.join('\n')).toContain('too many failed authentication attempts');
  });
});
