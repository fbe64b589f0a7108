// Per-workspace ed25519 keys in `<state>/keys` (0700), named by the key itself:
// `NAME.<id>` (0600, OpenSSH format) and `NAME.<id>.pub`, where <id> comes from the public key's
// SHA-256. A record in connections.json names its key by its public half, so a record always
// points at the key its pass was granted for: a new connect writes a new file beside the old one
// and never changes the bytes under a record's feet. Key material is never logged and never
// appears in an error message.
import fs from 'node:fs/promises';
import path from 'node:path';
import { RuncodeError } from '../errors.js';
import { atomicWrite } from '../fs/atomicWrite.js';
import { fingerprint, parseEd25519PublicKey } from '../ssh/opensshKey.js';
import type { Ed25519KeyPair } from '../ssh/opensshKey.js';
import { isWorkspaceName } from '../ssh/sshValues.js';
import { crashPoint } from './crashPoint.js';
import { keyFileName } from './keyFileName.js';
import { WORKSPACE_NAME_SOURCE } from '../../shared/workspaceName.js';

export { keyId } from './keyFileName.js';

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

/** What `<state>/keys` holds for one workspace name. */
export interface NameFiles {
  /** Key id -> the files of that key present (either may be missing after a crash). */
  keys: Map<string, Partial<KeyFiles>>;
  /** Temp files a crashed writer left (`.NAME....runcode-tmp-*`). */
  temps: string[];
  /** `NAME` / `NAME.pub` as written before keys were named by id. */
  legacy: Partial<KeyFiles>;
}

const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;
const modeOf = (m: number): string => (m & 0o777).toString(8).padStart(4, '0');
const KEY_FILE = new RegExp(`^(${WORKSPACE_NAME_SOURCE})(?:\\.([0-9a-f]{16}))?(\\.pub)?$`);
const TEMP_FILE = new RegExp(`^\\.(${WORKSPACE_NAME_SOURCE})(?:\\.[0-9a-f]{16})?(?:\\.pub)?\\.runcode-tmp-`);

/**
 * ssh2 (behind publicKeyOfPrivate) loads on the first key actually read (a repair, doctor): a
 * process that only renews passes, as `runcode agent` does for hours, never holds it.
 */
async function publicKeyHeldBy(pem: Buffer): Promise<string | undefined> {
  return (await import('../ssh/publicKeyOfPrivate.js')).publicKeyOfPrivate(pem);
}

export class KeyStore {
  readonly dir: string;

  constructor(stateDir: string) {
    this.dir = path.join(stateDir, 'keys');
  }

  /** The files of `name`'s key `publicKey`. */
  paths(name: string, publicKey: string): KeyFiles {
    checkName(name);
    const privateKeyPath = path.join(this.dir, keyFileName(name, publicKey));
    return { privateKeyPath, publicKeyPath: `${privateKeyPath}.pub` };
  }

  /** Writes a pair beside any other key of `name` (each pair has its own files). */
  async save(name: string, pair: Ed25519KeyPair): Promise<CreatedKey> {
    const files = this.paths(name, pair.publicKey);
    await this.ensureDir();
    // atomicWrite creates its temp file 0600, so the private key is never readable by others.
    await atomicWrite(files.privateKeyPath, pair.privateKey, { mode: 0o600, keepMode: false });
    crashPoint('key-private');
    await atomicWrite(files.publicKeyPath, `${pair.publicKey}\n`, { mode: 0o644, keepMode: false });
    return { ...files, publicKey: pair.publicKey, fingerprint: fingerprint(pair.publicBlob) };
  }

  /** Writes `.pub` again from a public key line (a crash can leave a key without it). */
  async savePublic(name: string, publicKey: string): Promise<void> {
    const files = this.paths(name, publicKey);
    await atomicWrite(files.publicKeyPath, `${publicKey}\n`, { mode: 0o644, keepMode: false });
  }

  /** Deletes one pair; true if its private key was there. */
  async remove(name: string, publicKey: string): Promise<boolean> {
    return removePair(this.paths(name, publicKey));
  }

  /** Deletes every file of `name`: its keys, legacy files and temps (disconnect). */
  async removeName(name: string): Promise<void> {
    checkName(name);
    const files = (await this.scan()).get(name);
    if (!files) return;
    for (const f of [...files.keys.values(), files.legacy]) await removePair(f);
    for (const t of files.temps) await fs.rm(t, { force: true });
  }

  /** Deletes every key (sign-out). */
  async removeAll(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }

  /** Names that have any file here (a key, a temp, a legacy key). */
  async list(): Promise<string[]> {
    return [...(await this.scan()).keys()].sort();
  }

  /** Every file here, by workspace name; files that are not ours are ignored. */
  async scan(): Promise<Map<string, NameFiles>> {
    const out = new Map<string, NameFiles>();
    const of = (name: string): NameFiles => {
      let f = out.get(name);
      if (!f) out.set(name, (f = { keys: new Map(), temps: [], legacy: {} }));
      return f;
    };
    for (const file of await fs.readdir(this.dir).catch(() => [] as string[])) {
      const full = path.join(this.dir, file);
      const t = TEMP_FILE.exec(file);
      if (t) {
        of(t[1]!).temps.push(full);
        continue;
      }
      const m = KEY_FILE.exec(file);
      if (!m) continue;
      const [, name, id, pub] = m;
      const slot = id ? (of(name!).keys.get(id) ?? {}) : of(name!).legacy;
      if (id) of(name!).keys.set(id, slot);
      slot[pub ? 'publicKeyPath' : 'privateKeyPath'] = full;
    }
    return out;
  }

  /** The public key a private key file holds; undefined when missing or not an ed25519 key. */
  async publicKeyIn(privateKeyPath: string): Promise<string | undefined> {
    const pem = await fs.readFile(privateKeyPath).catch(() => undefined);
    return pem && (await publicKeyHeldBy(pem));
  }

  /** Exists, 0600 in a 0700 dir, loads as an ed25519 key, holds `publicKey`, and matches its `.pub`. */
  async check(name: string, publicKey: string): Promise<KeyCheck> {
    const files = this.paths(name, publicKey);
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
      const held = await publicKeyHeldBy(pem);
      if (!held) problems.push(`${files.privateKeyPath} does not load as an ed25519 private key`);
      else if (held !== parseEd25519PublicKey(publicKey)?.line)
        problems.push(`${files.privateKeyPath} is not the key registered for ${name}`);
      else {
        const pubLine = await fs.readFile(files.publicKeyPath, 'utf8').catch(() => undefined);
        const pub = parseEd25519PublicKey(pubLine?.trim());
        if (!pub) problems.push(`${files.publicKeyPath} is missing or not an ed25519 public key`);
        else if (pub.line !== held) problems.push(`${files.publicKeyPath} does not match its private key`);
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

function checkName(name: string): void {
  if (!isWorkspaceName(name)) {
    const shown = JSON.stringify(name)?.slice(0, 80) ?? String(name);
    throw new RuncodeError('invalid_argument', `workspace name ${shown} is not valid for a key file`);
  }
}

async function removePair(files: Partial<KeyFiles>): Promise<boolean> {
  const existed = files.privateKeyPath
    ? await fs.stat(files.privateKeyPath).then(
        () => true,
        () => false,
      )
    : false;
  // The private key first: a crash in between leaves a lone .pub, which is harmless and swept.
  if (files.privateKeyPath) await fs.rm(files.privateKeyPath, { force: true });
  if (files.publicKeyPath) await fs.rm(files.publicKeyPath, { force: true });
  return existed;
}
