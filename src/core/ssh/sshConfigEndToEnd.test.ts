// The three on-disk pieces together, judged by the real OpenSSH client against a real SSH
// server (ssh2, in this process): a key from KeyStore, the host key pinned by KnownHosts, the
// block written by SshConfigFile. `ssh -F cfg runcode.NAME cmd` must work with nothing else.
import { runProcess } from '../../server/testing/runProcess.js';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyStore } from '../keys/keyStore.js';
import { createKey } from '../testing/createKey.js';
import { KnownHosts } from './knownHosts.js';
import { generateEd25519KeyPair, parseEd25519PublicKey } from './opensshKey.js';
import { SshConfigFile } from './sshConfigFile.js';
import { makeTempDir } from '../testing/tempDir.js';

const hostPair = generateEd25519KeyPair('gateway');
let home: string;
let state: string;
let cfg: string;
let port: number;
let server: ssh2.Server;
/** Public key blobs the server accepts, by user. */
const allowed = new Map<string, Buffer>();
const offered: string[] = [];

beforeAll(async () => {
  home = makeTempDir('runcode-e2e-');
  state = path.join(home, 'Application Support', 'runcode');
  cfg = path.join(home, '.ssh', 'config');
  server = new ssh2.Server({ hostKeys: [hostPair.privateKey] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
      offered.push(ctx.key.data.toString('base64'));
      const want = allowed.get(ctx.username);
      if (!want || !want.equals(ctx.key.data)) return ctx.reject(['publickey']);
      if (!ctx.signature) return ctx.accept(); // the "would you accept this key" probe
      const pk = ssh2.utils.parseKey(`ssh-ed25519 ${want.toString('base64')}`);
      const key = Array.isArray(pk) ? pk[0] : pk;
      if (key && !(key instanceof Error) && key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true) {
        return ctx.accept();
      }
      ctx.reject(['publickey']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        accept().on('exec', (acceptExec, _reject, info) => {
          const ch = acceptExec();
          ch.write(`ran: ${info.command}\n`);
          ch.exit(0);
          ch.end();
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(home, { recursive: true, force: true });
});

async function ssh(
  host: string,
  command: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const r = await runProcess(
    'ssh',
    ['-F', cfg, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', host, command],
    { timeoutMs: 60_000 },
  );
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

describe('key + pin + block, through the real ssh client', () => {
  it('ssh runcode.NAME works through a hostile user config, offering only our key', async () => {
    // A user's personal key, offered everywhere by their Host * below the block.
    const personal = generateEd25519KeyPair('me@laptop');
    fs.mkdirSync(path.dirname(cfg), { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(home, 'id_personal'), personal.privateKey, { mode: 0o600 });
    fs.writeFileSync(
      cfg,
      `Host *\n  User evil\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n` +
        `  IdentityFile ${path.join(home, 'id_personal')}\n`,
    );
    const keys = new KeyStore(state);
    const key = await createKey(keys, 'api');
    allowed.set('ws-api', parseEd25519PublicKey(key.publicKey)!.blob);
    const pins = new KnownHosts(state);
    await pins.pin('runcode-gateway', [hostPair.publicKey]);
    await new SshConfigFile({ path: cfg, stateDir: state }).apply([
      {
        name: 'api',
        hostName: '127.0.0.1',
        port,
        user: 'ws-api',
        identityFile: key.privateKeyPath,
        knownHostsFile: pins.path,
        hostKeyAlias: 'runcode-gateway',
      },
    ]);
    offered.length = 0;
    const r = await ssh('runcode.api', 'echo ok');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('ran: echo ok\n');
    expect(offered).not.toContain(personal.publicBlob.toString('base64'));
  });

  it('refuses a gateway whose host key is not the pinned one (no prompt, no connection)', async () => {
    const pins = new KnownHosts(state);
    await pins.pin('runcode-gateway', [generateEd25519KeyPair().publicKey]);
    const r = await ssh('runcode.api', 'echo ok');
    expect(r.status).toBe(255);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Host key verification failed/);
    await pins.pin('runcode-gateway', [hostPair.publicKey]);
    expect((await ssh('runcode.api', 'echo again')).stdout).toBe('ran: echo again\n');
  });
});
