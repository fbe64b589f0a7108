// The user's ~/.ssh/config, as far as RunCode touches it: one block (sshConfigBlock.ts), written
// atomically under a lock shared by every RunCode process, the original backed up once.
// The file is handled as latin1 so every byte outside the block survives, whatever its encoding.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RuncodeError, isRuncodeError } from '../errors.js';
import { atomicWrite, removeStaleTemps, resolveWriteTarget } from '../fs/atomicWrite.js';
import type { FileLockOptions } from '../fs/fileLock.js';
import { withFileLock } from '../fs/fileLock.js';
import type { HostEntry } from './sshConfigBlock.js';
import { detectEol, locateBlock, readBlock, renderBlock, spliceBlock } from './sshConfigBlock.js';
import { unifiedDiff } from './unifiedDiff.js';

export interface SshConfigFileOptions {
  /** Default: defaultSshConfigPath(). */
  path?: string;
  /** The app's state dir: remembers whether the config existed before our first change. */
  stateDir: string;
  lock?: FileLockOptions;
  /** Test hook (see AtomicWriteOptions.beforeRename). */
  beforeRename?: (tempPath: string) => void | Promise<void>;
}

export interface ConfigChange {
  changed: boolean;
  /** The real path (symlinks followed). */
  path: string;
}

export interface ConfigPreview {
  before: string;
  after: string;
  /** Unified diff, '' when nothing would change. */
  diff: string;
}

interface Origin {
  path: string;
  existed: boolean;
  backup: string | null;
  time: string;
}

export function defaultSshConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.RUNCODE_SSH_CONFIG;
  return fromEnv ? path.resolve(fromEnv) : path.join(os.homedir(), '.ssh', 'config');
}

const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;
const toLatin1 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const fromLatin1 = (s: string): string => Buffer.from(s, 'latin1').toString('utf8');
const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'not_writable']);

type Mutation = readonly HostEntry[] | ((current: HostEntry[]) => readonly HostEntry[]);
const entriesAfter = (m: Mutation, current: () => HostEntry[]): readonly HostEntry[] =>
  typeof m === 'function' ? m(current()) : m;

export class SshConfigFile {
  readonly path: string;
  private readonly stateDir: string;

  constructor(private readonly options: SshConfigFileOptions) {
    this.path = path.resolve(options.path ?? defaultSshConfigPath());
    this.stateDir = options.stateDir;
  }

  /** The hosts in our block ([] without one). A corrupt block: `config_markers`. */
  async read(): Promise<HostEntry[]> {
    return this.entriesOf((await this.load(await resolveWriteTarget(this.path))) ?? '');
  }

  /** Replaces the whole block with `entries`; none removes it. No write when nothing changes. */
  async apply(entries: readonly HostEntry[]): Promise<ConfigChange> {
    renderBlock(entries); // validate before touching anything
    return this.change(entries);
  }

  /** Removes the block (a block edited by hand too: it is ours). */
  async remove(): Promise<ConfigChange> {
    return this.change([]);
  }

  /** Read-modify-write under the lock: `fn` gets the current entries and returns the new ones. */
  async update(fn: (current: HostEntry[]) => readonly HostEntry[]): Promise<ConfigChange> {
    return this.change(fn);
  }

  /** Whole new entries (apply/remove: the old block is not parsed) or a read-modify-write. */
  private async change(next: Mutation): Promise<ConfigChange> {
    const real = await resolveWriteTarget(this.path);
    try {
      const dirExists = await fs.stat(path.dirname(real)).then(
        () => true,
        () => false,
      );
      if (!dirExists) {
        if (entriesAfter(next, () => []).length === 0) return { changed: false, path: real };
        await fs.mkdir(path.dirname(real), { recursive: true, mode: 0o700 });
      }
      await this.checkWritable(real);
      return await withFileLock(real, () => this.changeLocked(real, next), this.options.lock);
    } catch (e) {
      if (isRuncodeError(e) && e.code !== 'not_writable') throw e;
      if (!NOT_WRITABLE.has((isRuncodeError(e) ? e.code : errCode(e)) ?? '')) throw e;
      throw new RuncodeError(
        'config_not_writable',
        `cannot write ${real} (${isRuncodeError(e) ? e.message : errCode(e)}); nothing was changed`,
        { cause: e },
      );
    }
  }

  /** What apply(entries) would do, without doing it (`config-ssh --dry-run`). */
  async preview(entries: readonly HostEntry[]): Promise<ConfigPreview> {
    const real = await resolveWriteTarget(this.path);
    const text = (await this.load(real)) ?? '';
    const out = this.spliced(text, entries, real);
    const before = fromLatin1(text);
    const after = fromLatin1(out);
    return { before, after, diff: unifiedDiff(before, after, real, `${real} (after)`) };
  }

  private async changeLocked(real: string, mutation: Mutation): Promise<ConfigChange> {
    await removeStaleTemps(real);
    const text = await this.load(real);
    const next = entriesAfter(mutation, () => this.entriesOf(text ?? '', real));
    const out = this.spliced(text ?? '', next, real);
    if (out === (text ?? '') && (text !== undefined || next.length === 0))
      return { changed: false, path: real };
    const origin = await this.backupOnce(real, text);
    if (out === '' && next.length === 0 && !origin.existed) {
      await fs.rm(real, { force: true }); // we created it; hand back "absent"
      return { changed: true, path: real };
    }
    await atomicWrite(real, Buffer.from(out, 'latin1'), {
      mode: 0o600,
      ...(this.options.beforeRename ? { beforeRename: this.options.beforeRename } : {}),
    });
    return { changed: true, path: real };
  }

  private spliced(text: string, entries: readonly HostEntry[], where: string): string {
    const block = entries.length ? toLatin1(renderBlock(entries, detectEol(text))) : undefined;
    return spliceBlock(text, block, where);
  }

  private entriesOf(text: string, where = this.path): HostEntry[] {
    const span = locateBlock(text, where);
    return span ? readBlock(fromLatin1(text.slice(span.start, span.end)), where) : [];
  }

  private async load(real: string): Promise<string | undefined> {
    try {
      return (await fs.readFile(real)).toString('latin1');
    } catch (e) {
      if (errCode(e) === 'ENOENT') return undefined;
      throw e;
    }
  }

  /** rename(2) ignores the file's own mode; a read-only config is the user saying "hands off". */
  private async checkWritable(real: string): Promise<void> {
    for (const p of [real, path.dirname(real)]) {
      const st = await fs.stat(p).catch(() => undefined);
      if (!st) continue;
      const writable =
        (st.mode & 0o222) !== 0 &&
        (await fs.access(p, fs.constants.W_OK).then(
          () => true,
          () => false,
        ));
      if (!writable) {
        const what = p === real ? 'file' : 'directory';
        throw new RuncodeError(
          'config_not_writable',
          `the SSH config ${what} ${p} is not writable (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}); ` +
            `make it writable or set RUNCODE_SSH_CONFIG to another file; nothing was changed`,
        );
      }
    }
  }

  private originFile(real: string): string {
    const id = crypto.createHash('sha256').update(real).digest('hex').slice(0, 16);
    return path.join(this.stateDir, `ssh-config-origin-${id}.json`);
  }

  /** Before the first change ever: `<config>.runcode-backup` (never overwritten) and a record. */
  private async backupOnce(real: string, text: string | undefined): Promise<Origin> {
    const recordPath = this.originFile(real);
    try {
      return JSON.parse(await fs.readFile(recordPath, 'utf8')) as Origin;
    } catch (e) {
      if (errCode(e) !== 'ENOENT') {
        throw new RuncodeError('state_corrupt', `cannot read ${recordPath}; delete it and try again`, {
          cause: e,
        });
      }
    }
    const backup = `${real}.runcode-backup`;
    if (text !== undefined) {
      const mode = (await fs.stat(real)).mode & 0o777;
      try {
        const fh = await fs.open(backup, 'wx', 0o600);
        try {
          await fh.writeFile(Buffer.from(text, 'latin1'));
          await fh.chmod(mode);
          await fh.sync();
        } finally {
          await fh.close();
        }
      } catch (e) {
        if (errCode(e) !== 'EEXIST') throw e; // an earlier backup stays the original
      }
    }
    const origin: Origin = {
      path: real,
      existed: text !== undefined,
      backup: text !== undefined ? backup : null,
      time: new Date().toISOString(),
    };
    await fs.mkdir(this.stateDir, { recursive: true, mode: 0o700 });
    await atomicWrite(recordPath, JSON.stringify(origin, null, 2) + '\n', { mode: 0o600 });
    return origin;
  }
}
