// Per-workspace ed25519 keys in `<state>/keys` (0700): `NAME` (0600, OpenSSH format) and
// `NAME.pub`. Key material is never logged and never appears in an error message.
import fs from 'node:fs/promises';
import path from 'node:path';
import ssh2 from 'ssh2';
import { RuncodeError } from '../errors.js';
import { atomicWrite } from '../fs/atomicWrite.js';
import { fingerprint, generateEd25519KeyPair, parseEd25519PublicKey } from '../ssh/opensshKey.js';
import type { Ed25519KeyPair } from '../ssh/opensshKey.js';
import { isWorkspaceName } from '../ssh/sshValues.js';

export interface KeyFiles {
  privateKeyPath: string;
  publicKeyPath: string;
}

export interface CreatedKey extends KeyFiles {
  /** `ssh-ed25519 AAAA... runcode-NAME`: what is sent to the backend. */
  publicKey: string;
  fingerprint: string;
}

export interface KeyCheck extends KeyFiles {
  ok: boolean;
  /** Human-readable findings; empty when ok. */
  problems: string[];
}

const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;
const modeOf = (m: number): string => (m & 0o777).toString(8).padStart(4, '0');

export class KeyStore {
  readonly dir: string;

  constructor(stateDir: string) {
    this.dir = path.join(stateDir, 'keys');
  }

  paths(name: string): KeyFiles {
    if (!isWorkspaceName(name)) {
      const shown = JSON.stringify(name)?.slice(0, 80) ?? String(name);
      throw new RuncodeError('invalid_name', `workspace name ${shown} is not valid for a key file`);
    }
    const privateKeyPath = path.join(this.dir, name);
    return { privateKeyPath, publicKeyPath: `${privateKeyPath}.pub` };
  }

  /** A fresh pair for `name`, replacing any previous one. */
  async create(name: string): Promise<CreatedKey> {
    this.paths(name); // validates the name before anything else
    return this.save(name, generateEd25519KeyPair(`runcode-${name}`));
  }

  /**
   * Writes a pair made earlier (connect makes the key, gets the pass validated, and only then
   * writes: a refused pass leaves no file changed), replacing any previous one.
   */
  async save(name: string, pair: Ed25519KeyPair): Promise<CreatedKey> {
    const files = this.paths(name);
    await this.ensureDir();
    // atomicWrite creates its temp file 0600, so the private key is never readable by others.
    await atomicWrite(files.privateKeyPath, pair.privateKey, { mode: 0o600, keepMode: false });
    await atomicWrite(files.publicKeyPath, `${pair.publicKey}\n`, { mode: 0o644, keepMode: false });
    return { ...files, publicKey: pair.publicKey, fingerprint: fingerprint(pair.publicBlob) };
  }

  /** Deletes `name`'s pair; true if there was one. */
  async remove(name: string): Promise<boolean> {
    const files = this.paths(name);
    const existed = await fs.stat(files.privateKeyPath).then(
      () => true,
      () => false,
    );
    await fs.rm(files.privateKeyPath, { force: true });
    await fs.rm(files.publicKeyPath, { force: true });
    return existed;
  }

  /** Deletes every key (sign-out). */
  async removeAll(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }

  /** Names that have a private key here. */
  async list(): Promise<string[]> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    return names.filter(isWorkspaceName).sort();
  }

  /** Exists, 0600 in a 0700 dir, loads as an ed25519 key, and matches its `.pub`. */
  async check(name: string): Promise<KeyCheck> {
    const files = this.paths(name);
    const problems: string[] = [];
    const dirStat = await fs.lstat(this.dir).catch(() => undefined);
    if (!dirStat?.isDirectory()) problems.push(`${this.dir} is missing or not a directory`);
    else if ((dirStat.mode & 0o777) !== 0o700)
      problems.push(`${this.dir} has mode ${modeOf(dirStat.mode)}, not 0700`);
    let pem: Buffer | undefined;
    try {
      const st = await fs.lstat(files.privateKeyPath);
      if (!st.isFile()) problems.push(`${files.privateKeyPath} is not a regular file`);
      else {
        if ((st.mode & 0o777) !== 0o600)
          problems.push(`${files.privateKeyPath} has mode ${modeOf(st.mode)}, not 0600`);
        pem = await fs.readFile(files.privateKeyPath);
      }
    } catch (e) {
      if (errCode(e) !== 'ENOENT') throw e;
      problems.push(`${files.privateKeyPath} does not exist`);
    }
    if (pem) {
      const parsed = ssh2.utils.parseKey(pem);
      const key = Array.isArray(parsed) ? parsed[0] : parsed;
      if (!key || key instanceof Error || key.type !== 'ssh-ed25519' || !key.isPrivateKey()) {
        problems.push(`${files.privateKeyPath} does not load as an ed25519 private key`);
      } else {
        const pubLine = await fs.readFile(files.publicKeyPath, 'utf8').catch(() => undefined);
        const pub = parseEd25519PublicKey(pubLine?.trim());
        if (!pub) problems.push(`${files.publicKeyPath} is missing or not an ed25519 public key`);
        else if (!pub.blob.equals(key.getPublicSSH())) {
          problems.push(`${files.publicKeyPath} does not match its private key`);
        }
      }
    }
    return { ...files, ok: problems.length === 0, problems };
  }

  private async ensureDir(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const st = await fs.lstat(this.dir);
    if (!st.isDirectory()) throw new RuncodeError('keys_dir_invalid', `${this.dir} is not a directory`);
    // Our own directory: tighten it if something loosened it (umask, a copy, a restore).
    if ((st.mode & 0o777) !== 0o700) await fs.chmod(this.dir, 0o700);
  }
}
