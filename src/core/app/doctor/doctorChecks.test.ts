// Each doctor check on its own, judged by the real OpenSSH tools (ssh -G, ssh-keygen -F).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnownHosts } from '../../ssh/knownHosts.js';
import { generateEd25519KeyPair } from '../../ssh/opensshKey.js';
import type { HostEntry } from '../../ssh/hostEntry.js';
import { setBlock } from '../../ssh/sshConfigBlock.js';
import { hostConfigCheck } from './hostConfigCheck.js';
import { knownHostsCheck } from './knownHostsCheck.js';
import { opensshCheck } from './opensshCheck.js';
import { runTool } from './runTool.js';
import { nativeCryptoCheck, tokenStoreCheck } from './sessionChecks.js';
import { testHostEntry } from '../../testing/hostEntry.js';
import { makeTempDir } from '../../testing/tempDir.js';

let dir: string;
beforeAll(() => {
  dir = makeTempDir('runcode-doctor-');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const entry: HostEntry = testHostEntry('api', '/state');

async function check(text: string, where: 'own' | 'user') {
  const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(file, text);
  const sshG = await runTool('ssh', ['-F', file, '-G', 'runcode.api']);
  return hostConfigCheck({ entry, sshG, where, configPath: file });
}

describe('hostConfigCheck (real ssh -G)', () => {
  it('our block alone: ok', async () => {
    const c = await check(setBlock('', [entry]), 'own');
    expect(c).toMatchObject({ id: 'config-wins:api', ok: true });
  });

  it('a Host * below that adds keys, certificates, env and forwards: the one fix', async () => {
    const below =
      'Host *\n  IdentityFile ~/.ssh/id_personal\n  CertificateFile ~/.ssh/id_personal-cert.pub\n' +
      '  SendEnv AWS_*\n  RemoteForward 9000 localhost:22\n  ForwardAgent yes\n  ProxyCommand nc x 22\n';
    const c = await check(setBlock(`Host other\n  User me\n\n${below}`, [entry]), 'user');
    expect(c.ok).toBe(false);
    expect(c.id).toBe('config-wins:user:api');
    expect(c.detail).toContain('identityfile ~/.ssh/id_personal');
    expect(c.detail).toContain('certificatefile ~/.ssh/id_personal-cert.pub');
    expect(c.detail).toContain('sendenv AWS_*');
    expect(c.detail).toContain('remoteforward');
    expect(c.detail).not.toContain('ForwardAgent'); // pinned: the value below does not apply
    expect(c.fix).toContain('`Host * !runcode.*`');
  });

  it('a hostile section above the block (edited in by hand): names each option, same fix', async () => {
    const above = 'Host *\n  ForwardAgent yes\n  ProxyJump evil.example.com\n\n';
    const c = await check(above + setBlock('', [entry]), 'user');
    expect(c.ok).toBe(false);
    expect(c.detail).toContain('ForwardAgent is yes, not no');
    expect(c.detail).toContain('ProxyJump is evil.example.com, not none');
    expect(c.fix).toContain('`Host * !runcode.*`');
  });

  it('ssh -G failing is reported with its first line', async () => {
    const c = await check(`${setBlock('', [entry])}Host x\n  NoSuchOption 1\n`, 'user');
    expect(c.ok).toBe(false);
    expect(c.detail).toMatch(/^ssh -G failed: .*NoSuchOption/i);
  });
});

describe('knownHostsCheck (real ssh-keygen -F)', () => {
  const hostKey = generateEd25519KeyPair('gw').publicKey;
  const otherKey = generateEd25519KeyPair('other').publicKey;
  const run = async (state: string) => {
    const kh = path.join(state, 'known_hosts');
    const found = await runTool('ssh-keygen', ['-F', 'runcode-gateway.api', '-f', kh]);
    return knownHostsCheck({ name: 'api', alias: 'runcode-gateway.api', expected: [hostKey], knownHostsPath: kh, found });
  };

  it('pinned: ok; damaged, missing or another key: says what ssh would do and the fix', async () => {
    const state = fs.mkdtempSync(path.join(dir, 'kh-'));
    const kh = new KnownHosts(state);
    await kh.pin('runcode-gateway.api', [hostKey]);
    expect(await run(state)).toMatchObject({ id: 'known-hosts:api', ok: true });

    const good = fs.readFileSync(kh.path, 'utf8');
    fs.writeFileSync(kh.path, good.slice(0, 40)); // torn by a crash or an editor
    const torn = await run(state);
    expect(torn.ok).toBe(false);
    expect(torn.detail).toContain('Host key verification failed');
    expect(torn.fix).toContain('runcode config-ssh');
    // The fix works: re-pinning from the record repairs it.
    await kh.pin('runcode-gateway.api', [hostKey]);
    expect((await run(state)).ok).toBe(true);

    fs.rmSync(kh.path);
    expect((await run(state)).ok).toBe(false);

    await kh.pin('runcode-gateway.api', [otherKey]);
    const wrong = await run(state);
    expect(wrong.ok).toBe(false);
    expect(wrong.detail).toContain('but not the key the pass names');
  });
});

describe('small checks', () => {
  it('openssh: found, or not on PATH', async () => {
    const found = opensshCheck(await runTool('ssh', ['-V']), await runTool('ssh-keygen', ['-?']));
    expect(found.ok).toBe(true);
    expect(found.detail).toMatch(/OpenSSH_/);
    const missing = opensshCheck(
      await runTool(path.join(dir, 'no-ssh'), ['-V']),
      await runTool('ssh-keygen', ['-?']),
    );
    expect(missing).toMatchObject({ ok: false, detail: 'ssh was not found on PATH' });
  });

  it('token store and native crypto are informational', () => {
    expect(tokenStoreCheck({ kind: 'file', warning: 'plain file' }).detail).toBe('file: plain file');
    expect(nativeCryptoCheck(false).detail).toContain('60-70%');
  });
});
