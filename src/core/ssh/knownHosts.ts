// The app's own known_hosts (`<state>/known_hosts`): the gateway host keys each pass pins,
// one `ALIAS ssh-ed25519 AAAA...` line per key, under a HostKeyAlias. The user's
// ~/.ssh/known_hosts is never touched. Lines for other aliases are kept byte for byte.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { RuncodeError } from '../errors.js';
import { atomicWrite } from '../fs/atomicWrite.js';
import type { FileLockOptions } from '../fs/fileLock.js';
import { withFileLock } from '../fs/fileLock.js';
import { parseEd25519PublicKey } from './opensshKey.js';
import { isHostKeyAlias } from './sshValues.js';

const MAX_KEYS = 16;

const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;

function checkAlias(alias: unknown): asserts alias is string {
  if (!isHostKeyAlias(alias)) {
    const shown = JSON.stringify(alias)?.slice(0, 80) ?? String(alias);
    throw new RuncodeError('invalid_argument', `host key alias ${shown} is not runcode-[a-z0-9.-]`);
  }
}

export interface PinnedKey {
  alias: string;
  /** `ssh-ed25519 AAAA...` */
  key: string;
}

export class KnownHosts {
  readonly path: string;

  constructor(
    private readonly stateDir: string,
    private readonly lock?: FileLockOptions,
  ) {
    this.path = path.join(stateDir, 'known_hosts');
  }

  /** Replaces the pins for `alias` with `keys` (validated ed25519 lines; at least one). */
  async pin(alias: string, keys: readonly string[]): Promise<void> {
    checkAlias(alias);
    if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_KEYS) {
      throw new RuncodeError('host_key_invalid', `hostKeys must list 1 to ${MAX_KEYS} keys`);
    }
    const lines = new Set<string>();
    keys.forEach((k, i) => {
      const parsed = parseEd25519PublicKey(k);
      if (!parsed)
        throw new RuncodeError('host_key_invalid', `hostKeys[${i}] is not an ssh-ed25519 public key`);
      lines.add(`${alias} ${parsed.line}`);
    });
    await this.rewrite(alias, [...lines]);
  }

  /** Removes every pin for `alias`. */
  async unpin(alias: string): Promise<void> {
    checkAlias(alias);
    await this.rewrite(alias, []);
  }

  /**
   * Makes sure OpenSSH finds exactly `keys` for `alias` (a damaged, truncated or stale
   * known_hosts makes ssh fail with "Host key verification failed" while everything else looks
   * fine); re-pins when it does not. True when it had to repair. For `config-ssh`, the agent and
   * doctor's fix, with the keys from the connection record.
   */
  async ensurePinned(alias: string, keys: readonly string[]): Promise<boolean> {
    checkAlias(alias);
    const want = keys.map((k) => parseEd25519PublicKey(k)?.line).filter((k): k is string => !!k);
    const have = await this.effectivePins(alias);
    if (have && want.length === have.length && want.every((k) => have.includes(k))) return false;
    await this.pin(alias, keys);
    return true;
  }

  /** What `ssh-keygen -F` finds for `alias` (what ssh will use); our parser without ssh-keygen. */
  private async effectivePins(alias: string): Promise<string[] | undefined> {
    const r = await new Promise<{ code: number | string | undefined; stdout: string }>((resolve) =>
      execFile('ssh-keygen', ['-F', alias, '-f', this.path], { encoding: 'utf8', timeout: 10_000 }, (e, stdout) =>
        resolve({ code: e ? ((e as NodeJS.ErrnoException).code ?? 1) : 0, stdout }),
      ),
    );
    if (r.code === 'ENOENT') return (await this.list(alias)).map((p) => p.key);
    if (r.code !== 0) return undefined;
    return r.stdout
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => parseEd25519PublicKey(l.trim().split(/\s+/).slice(1).join(' '))?.line ?? '');
  }

  /** Our pins (lines we could not parse are skipped, not trusted). */
  async list(alias?: string): Promise<PinnedKey[]> {
    const out: PinnedKey[] = [];
    for (const line of await this.lines()) {
      const m = /^(\S+) (.+)$/.exec(line);
      const key = m && parseEd25519PublicKey(m[2]);
      if (m && key && isHostKeyAlias(m[1]) && (alias === undefined || m[1] === alias)) {
        out.push({ alias: m[1], key: key.line });
      }
    }
    return out;
  }

  private async lines(): Promise<string[]> {
    try {
      return (await fs.readFile(this.path, 'latin1')).split('\n').filter((l) => l !== '');
    } catch (e) {
      if (errCode(e) === 'ENOENT') return [];
      throw e;
    }
  }

  private async rewrite(alias: string, pins: string[]): Promise<void> {
    await fs.mkdir(this.stateDir, { recursive: true, mode: 0o700 });
    await withFileLock(
      this.path,
      async () => {
        let old: string | undefined;
        try {
          old = await fs.readFile(this.path, 'latin1');
        } catch (e) {
          if (errCode(e) !== 'ENOENT') throw e;
        }
        if (old === undefined && pins.length === 0) return;
        const others = (old ?? '').split('\n').filter((l) => l !== '' && l.split(/[ \t]/, 1)[0] !== alias);
        const all = [...others, ...pins];
        const text = all.length ? all.join('\n') + '\n' : '';
        if (text === old) return;
        if (text === '') await fs.rm(this.path, { force: true });
        else await atomicWrite(this.path, Buffer.from(text, 'latin1'), { mode: 0o600 });
      },
      this.lock,
    );
  }
}
