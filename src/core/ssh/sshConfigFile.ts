// An ssh config RunCode writes hosts into: the user's ~/.ssh/config (one block, sshConfigBlock.ts,
// the original backed up once) or our own `<state>/ssh_config` (`own: true`). Written atomically
// under a lock shared by every RunCode process; just before the rename the target is re-checked
// (unchangedSince.ts) and the splice redone if someone changed it meanwhile; after the write
// `ssh -G` must show our pins (sshConfigVerify.ts) or the previous bytes come back. The file is
// handled as latin1 so every byte outside the block survives, whatever its encoding.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isRuncodeError } from '../errors.js';
import { atomicWrite, removeStaleTemps, resolveWriteTarget } from '../fs/atomicWrite.js';
import type { FileLockOptions } from '../fs/fileLock.js';
import { withFileLock } from '../fs/fileLock.js';
import { ownSshConfigPath } from '../paths.js';
import { KeptBlock } from './keptBlock.js';
import { LateAppendWatch } from './lateAppendWatch.js';
import { fromLatin1, toLatin1 } from './latin1Text.js';
import { backupOnce } from './sshConfigBackup.js';
import type { HostEntry } from './hostEntry.js';
import { detectEol, renderBlock, spliceBlock, validateEntries } from './sshConfigBlock.js';
import type { VerifyOptions } from './sshConfigVerify.js';
import {
  changedEntries,
  unsupportedPins,
  verificationContext,
  verificationSample,
  verifyPins,
} from './sshConfigVerify.js';
import { asNotWritable, checkWritable, probeDirectory } from './sshConfigWritable.js';
import { unchangedSince } from './unchangedSince.js';
import { unifiedDiff } from './unifiedDiff.js';

export interface SshConfigFileOptions {
  /** Default: defaultSshConfigPath() (or ownSshConfigPath(stateDir) when `own`). */
  path?: string;
  /** The app's state dir: remembers whether the config existed before our first change. */
  stateDir: string;
  /** Our own file: no backup, a header line, kept (empty) when the last host goes, always 0600. */
  own?: boolean;
  lock?: FileLockOptions;
  /** The `ssh -G` check after each write; false turns it off (tests of other layers). */
  verify?: VerifyOptions | false;
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

export function defaultSshConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.RUNCODE_SSH_CONFIG;
  return fromEnv ? path.resolve(fromEnv) : path.join(os.homedir(), '.ssh', 'config');
}

const OWN_HEADER =
  "# RunCode's own ssh config: `runcode ssh` and the terminal run `ssh -F` with this file.\n" +
  '# Written by RunCode; edits inside the block are replaced. ~/.ssh/config is not read with it.\n';

const errCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;
/** Redo the splice at most this often when others keep changing the file under us. */
const MAX_ATTEMPTS = 50;

type Mutation = readonly HostEntry[] | ((current: HostEntry[]) => readonly HostEntry[]);
const entriesAfter = (m: Mutation, current: () => HostEntry[]): readonly HostEntry[] =>
  typeof m === 'function' ? m(current()) : m;

export class SshConfigFile {
  readonly path: string;
  private readonly stateDir: string;
  /** The verification context (sshConfigVerify.ts) of the last write `ssh -G` approved. */
  private verified: string | undefined;
  /** The last block read or written, with its entries (keptBlock.ts). */
  private readonly block = new KeptBlock();

  constructor(private readonly options: SshConfigFileOptions) {
    this.stateDir = options.stateDir;
    const fallback = options.own ? ownSshConfigPath(options.stateDir) : defaultSshConfigPath();
    this.path = path.resolve(options.path ?? fallback);
  }

  /** Our own `<state>/ssh_config`. */
  static own(stateDir: string, options: Omit<SshConfigFileOptions, 'stateDir' | 'own'> = {}): SshConfigFile {
    return new SshConfigFile({ ...options, stateDir, own: true });
  }

  /** The hosts in our block ([] without one). A corrupt block: `config_markers`. */
  async read(): Promise<HostEntry[]> {
    return this.entriesOf((await this.load(await resolveWriteTarget(this.path))) ?? '');
  }

  /** Replaces the whole block with `entries`; none removes it. No write when nothing changes. */
  async apply(entries: readonly HostEntry[]): Promise<ConfigChange> {
    validateEntries(entries); // before touching anything
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

  /**
   * Check before act: resolves when a write would be possible (the file and its directory
   * writable, not immutable, not on a read-only mount; the markers valid), else rejects with
   * `config_not_writable` or `config_markers` and a message that names the cause. Writes nothing.
   */
  async preflight(): Promise<void> {
    const real = await resolveWriteTarget(this.path);
    try {
      await checkWritable(real);
      await probeDirectory(real);
    } catch (e) {
      throw asNotWritable(real, e);
    }
    this.entriesOf((await this.load(real)) ?? '', real);
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
      await checkWritable(real);
      return await withFileLock(real, () => this.changeLocked(real, next), this.options.lock);
    } catch (e) {
      throw asNotWritable(real, e);
    }
  }

  /** What apply(entries) would do, without doing it (`config-ssh --dry-run`). */
  async preview(entries: readonly HostEntry[]): Promise<ConfigPreview> {
    const real = await resolveWriteTarget(this.path);
    const text = (await this.load(real)) ?? '';
    const out = this.spliced(text, entries, real, await this.omit());
    const before = fromLatin1(text);
    const after = fromLatin1(out);
    return { before, after, diff: unifiedDiff(before, after, real, `${real} (after)`) };
  }

  private async changeLocked(real: string, mutation: Mutation): Promise<ConfigChange> {
    await removeStaleTemps(real);
    const omit = await this.omit();
    // Bytes a concurrent writer appended to the old file after our rename, to carry over.
    let carry: { ours: string; theirs: string } | undefined;
    for (let attempt = 1; ; attempt++) {
      const old = await fs.open(real, 'r').catch((e: unknown) => {
        if (errCode(e) === 'ENOENT') return undefined;
        throw e;
      });
      try {
        const raw = old ? (await old.readFile()).toString('latin1') : undefined;
        let text = raw;
        if (carry && raw !== undefined && raw.startsWith(carry.ours))
          text = carry.theirs + raw.slice(carry.ours.length);
        const before = (): HostEntry[] => this.entriesOf(text ?? '', real);
        const next = entriesAfter(mutation, before);
        const out =
          text === undefined && this.options.own
            ? toLatin1(OWN_HEADER) + this.spliced('', next, real, omit)
            : this.spliced(text ?? '', next, real, omit);
        // Against the bytes on disk: carried-over bytes are a change even if our block is not.
        if (out === (raw ?? '') && (raw !== undefined || next.length === 0))
          return { changed: false, path: real };
        const origin = this.options.own ? undefined : await backupOnce(this.stateDir, real, raw);
        if (origin && out === '' && next.length === 0 && !origin.existed) {
          await fs.rm(real, { force: true }); // we created it; hand back "absent"
          return { changed: true, path: real };
        }
        // What the file holds just before the rename; appends seen there go into ours too.
        const seen = { raw };
        try {
          await atomicWrite(real, Buffer.from(out, 'latin1'), {
            mode: 0o600,
            ...(this.options.own ? { keepMode: false } : {}),
            ...(this.options.beforeRename ? { beforeRename: this.options.beforeRename } : {}),
            unchanged: () => unchangedSince(real, old, seen),
          });
        } catch (e) {
          if (isRuncodeError(e) && e.code === 'target_changed' && attempt < MAX_ATTEMPTS) continue;
          throw e;
        }
        const written = out + (seen.raw ?? '').slice((raw ?? '').length);
        // An appender that opened the old file just before the rename wrote into it, not ours:
        // carry those bytes over (readFile continues from where the first read ended).
        const late = old && raw !== undefined ? await this.lateBytes(old) : '';
        const lateUnseen = raw !== undefined && raw.length + late.length > (seen.raw ?? '').length;
        if (lateUnseen && attempt < MAX_ATTEMPTS) {
          // The truth is what we spliced (with bytes carried before) plus what came late.
          carry = { ours: written, theirs: (text ?? raw) + late };
          continue;
        }
        // The user's file: late appends are watched for while ssh -G judges the write.
        const watch = old && !this.options.own ? new LateAppendWatch(real, old) : undefined;
        // ssh -G is spawned first: what we keep of this write is worked out while it runs.
        const verdict = this.verify(real, written, raw, text, next, omit);
        const kept = KeptBlock.of(out, next, real);
        try {
          await verdict;
        } catch (e) {
          await watch?.handOn().catch(() => undefined); // onto the restored file: still theirs
          throw e;
        }
        // Out of attempts: what came late is still the user's, appended as they meant it to be.
        const leftover = lateUnseen ? late.slice((seen.raw ?? '').length - raw.length) : '';
        if (watch) await watch.handOn(leftover);
        else if (leftover) await fs.appendFile(real, leftover, 'latin1');
        this.block.keep(kept);
        return { changed: true, path: real };
      } finally {
        await old?.close();
      }
    }
  }

  /** What was appended to the replaced file after our first read (continues where it ended). */
  private async lateBytes(old: fs.FileHandle): Promise<string> {
    return old.readFile({ encoding: 'latin1' });
  }

  /** `ssh -G` for (a sample of) the hosts this write changed; on failure, the previous bytes come back. */
  private async verify(
    real: string,
    out: string,
    raw: string | undefined,
    text: string | undefined,
    next: readonly HostEntry[],
    omit: ReadonlySet<string>,
  ): Promise<void> {
    if (this.options.verify === false || next.length === 0) return;
    let previous: HostEntry[] = [];
    try {
      previous = this.entriesOf(text ?? '', real);
    } catch {
      // An old block we could not read: check every host.
    }
    const changed = changedEntries(previous, next);
    if (changed.length === 0) return;
    const v = this.options.verify ?? {};
    // Our own file, approved before around the same bytes: a connect or a renewal batch costs no
    // ssh process. The user's file is asked every time: it is written only when they opted in, and
    // it is theirs to edit between our writes.
    const context = this.options.own ? verificationContext(out, real, omit, v.ssh) : undefined;
    if (context !== undefined && context === this.verified) return;
    this.verified = undefined;
    try {
      await verifyPins(real, verificationSample(changed), v, omit);
      this.verified = context;
    } catch (e) {
      const now = await fs.readFile(real, 'latin1').catch(() => undefined);
      if (raw === undefined && now === out) await fs.rm(real, { force: true });
      else if (raw !== undefined && now === out)
        await atomicWrite(real, Buffer.from(raw, 'latin1'), { mode: 0o600 });
      throw e;
    }
  }

  private spliced(
    text: string,
    entries: readonly HostEntry[],
    where: string,
    omit: ReadonlySet<string> = new Set(),
  ): string {
    const block = entries.length ? toLatin1(renderBlock(entries, detectEol(text), omit)) : undefined;
    return spliceBlock(text, block, where);
  }

  /** Pins the local OpenSSH would reject (none on 9.x); none when the check is off. */
  private async omit(): Promise<ReadonlySet<string>> {
    const v = this.options.verify;
    return v === false ? new Set() : unsupportedPins(v?.ssh);
  }

  private entriesOf(text: string, where = this.path): HostEntry[] {
    return this.block.entriesOf(text, where);
  }

  private async load(real: string): Promise<string | undefined> {
    try {
      return (await fs.readFile(real)).toString('latin1');
    } catch (e) {
      if (errCode(e) === 'ENOENT') return undefined;
      throw e;
    }
  }
}
