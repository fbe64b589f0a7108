// A self-contained OpenSSH client setup for tests: a fresh ed25519 key (0600), a known_hosts
// pinning the gateway's host key under a HostKeyAlias, and a `-F` config that uses nothing
// else (OpenSSH finds ~/.ssh through the passwd entry, not $HOME, so tests always pass -F).
import fs from 'node:fs';
import path from 'node:path';
import { generateEd25519KeyPair } from '../../core/ssh/opensshKey.js';
import type { Ed25519KeyPair } from '../../core/ssh/opensshKey.js';

export const HOST_KEY_ALIAS = 'runcode-gateway';

export interface SshClientConfig {
  /** The `Host` name to use on command lines (`ssh -F configFile host`). */
  host: string;
  configFile: string;
  identityFile: string;
  knownHostsFile: string;
  keyPair: Ed25519KeyPair;
  /** `ssh -F configFile`, for GIT_SSH_COMMAND and `rsync -e`. */
  sshCommand: string;
}

export interface SshClientConfigOptions {
  /** Directory to write into (made if missing). */
  dir: string;
  port: number;
  user: string;
  /** `ssh-ed25519 AAAA...`: the host key to pin. */
  hostPublicKey: string;
  /** Defaults to a fresh pair. */
  keyPair?: Ed25519KeyPair;
  /** Host alias in the config; default `gw`. */
  host?: string;
}

const q = (p: string): string => `"${p}"`;

export function writeSshClientConfig(o: SshClientConfigOptions): SshClientConfig {
  fs.mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const host = o.host ?? 'gw';
  const keyPair = o.keyPair ?? generateEd25519KeyPair('runcode-test');
  const identityFile = path.join(o.dir, `id_${host}`);
  const knownHostsFile = path.join(o.dir, 'known_hosts');
  const configFile = path.join(o.dir, 'ssh_config');
  fs.writeFileSync(identityFile, keyPair.privateKey, { mode: 0o600 });
  fs.writeFileSync(`${identityFile}.pub`, `${keyPair.publicKey}\n`, { mode: 0o644 });
  fs.writeFileSync(knownHostsFile, `${HOST_KEY_ALIAS} ${o.hostPublicKey}\n`, { mode: 0o600 });
  const lines = [
    `Host ${host}`,
    '  HostName 127.0.0.1',
    `  Port ${o.port}`,
    `  User ${o.user}`,
    `  IdentityFile ${q(identityFile)}`,
    '  IdentitiesOnly yes',
    '  IdentityAgent none',
    `  UserKnownHostsFile ${q(knownHostsFile)}`,
    '  GlobalKnownHostsFile /dev/null',
    `  HostKeyAlias ${HOST_KEY_ALIAS}`,
    '  StrictHostKeyChecking yes',
    '  BatchMode yes',
    '  UpdateHostKeys no',
    '  ConnectTimeout 10',
    '  LogLevel ERROR',
    '',
  ];
  fs.writeFileSync(configFile, lines.join('\n'), { mode: 0o600 });
  return { host, configFile, identityFile, knownHostsFile, keyPair, sshCommand: `ssh -F ${q(configFile)}` };
}
