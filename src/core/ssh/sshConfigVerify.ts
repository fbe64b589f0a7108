// After each write, the real OpenSSH client is the judge: `ssh -G -F <file> runcode.NAME` must
// show every pinned value for every host the write changed. A pin that does not hold (an older
// OpenSSH that rejects a keyword, a section we did not foresee) makes the writer restore the
// previous bytes and fail, instead of leaving a config that means something else.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RuncodeError } from '../errors.js';
import type { HostEntry } from './hostEntry.js';
import { FIXED_PINS } from './sshConfigPins.js';
import { locateBlock } from './sshConfigBlock.js';
import { describeViolation, parseSshG, pinViolations, runSshG } from './sshEffectiveConfig.js';
import { sshAlias } from '../../shared/workspaceName.js';

export interface VerifyOptions {
  /** The ssh binary (default `ssh` on PATH). */
  ssh?: string;
  /** Told once per process when there is no ssh to check with. */
  onSkip?: (reason: string) => void;
}

let skipReported = false;

/** Hosts whose rendered entry differs between `before` and `after` (new or changed). */
export function changedEntries(before: readonly HostEntry[], after: readonly HostEntry[]): HostEntry[] {
  const old = new Map(before.map((e) => [e.name, JSON.stringify(e)]));
  return after.filter((e) => old.get(e.name) !== JSON.stringify(e));
}

/**
 * The hosts worth asking `ssh -G` about after a write: all the changed ones up to four, else the
 * first two and the last two. Every host is rendered by the same code from validated values, and
 * our hosts come first in the file (OpenSSH keeps the first value it reads), so a pin that holds
 * for one holds for all; asking about each of 1,000 hosts cost 1,000 processes per write (the
 * config bench timed out) and proved nothing more.
 */
export function verificationSample(changed: readonly HostEntry[]): HostEntry[] {
  if (changed.length <= 4) return [...changed];
  return [changed[0]!, changed[1]!, changed[changed.length - 2]!, changed[changed.length - 1]!];
}

/**
 * What `ssh -G`'s verdict on a write depends on besides our entries: the text around our block,
 * the pins left out, the ssh binary. Every entry is rendered by the same code from validated
 * values (see verificationSample), so a later write with the same context gets the same verdict
 * and need not ask again: its writer keeps the context of the last write ssh -G approved.
 * Undefined, so every write is asked about, when the text around the block reaches outside the
 * file (Include, Match exec...: what they read can change while the file does not).
 */
export function verificationContext(
  text: string,
  where: string,
  omit: ReadonlySet<string>,
  ssh = 'ssh',
): string | undefined {
  const span = locateBlock(text, where);
  const around = span ? `${text.slice(0, span.start)}\n${text.slice(span.end)}` : text;
  if (/^[ \t]*"?(include|match)\b/im.test(around)) return undefined;
  return JSON.stringify([ssh, [...omit].sort(), around]);
}

/**
 * Checks `entries` in `configPath` with `ssh -G` (4 at a time). Resolves when every pin holds or
 * there is no ssh binary; rejects with `config_pin_failed` naming the host and option otherwise.
 */
export async function verifyPins(
  configPath: string,
  entries: readonly HostEntry[],
  opts: VerifyOptions = {},
  omit: ReadonlySet<string> = new Set(),
): Promise<void> {
  const queue = [...entries];
  let failure: RuncodeError | undefined;
  const worker = async (): Promise<void> => {
    for (let e = queue.shift(); e && !failure; e = queue.shift()) {
      const alias = sshAlias(e.name);
      const r = await runSshG(alias, { configPath, ...(opts.ssh ? { ssh: opts.ssh } : {}) });
      if (r.code === undefined) {
        queue.length = 0;
        if (!skipReported) {
          skipReported = true;
          (opts.onSkip ?? ((m: string) => process.stderr.write(`runcode: ${m}\n`)))(
            'no `ssh` binary found: the written ssh config was not checked with `ssh -G`',
          );
        }
        return;
      }
      const why =
        r.code !== 0
          ? `ssh -G ${alias} failed: ${firstLine(r.stderr) || `exit ${r.code}`}`
          : pinViolations(e, parseSshG(r.stdout), omit).map(describeViolation).join('; ');
      if (why) {
        failure ??= new RuncodeError(
          'config_pin_failed',
          `in ${configPath}, ${alias} would not use RunCode's settings (${why}); the previous file was restored`,
        );
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  if (failure) throw failure;
}

const firstLine = (s: string): string => s.trim().split('\n')[0]?.slice(0, 300) ?? '';

const probes = new Map<string, Promise<ReadonlySet<string>>>();

/**
 * Pin keywords the local OpenSSH rejects ("Bad configuration option": an unknown keyword makes
 * ssh refuse the whole file, for every host). Asked once per process and ssh binary: a config
 * with every pin is read with `ssh -G`, and each keyword it names is dropped until it reads.
 * On OpenSSH 9.x this is empty; on 8.2-8.4 it is KnownHostsCommand.
 */
export function unsupportedPins(ssh = 'ssh'): Promise<ReadonlySet<string>> {
  let p = probes.get(ssh);
  if (!p) {
    p = probe(ssh);
    probes.set(ssh, p);
  }
  return p;
}

async function probe(ssh: string): Promise<ReadonlySet<string>> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runcode-sshprobe-'));
  const omit = new Set<string>();
  try {
    const file = path.join(dir, 'config');
    for (let round = 0; round < FIXED_PINS.length; round++) {
      const lines = FIXED_PINS.filter((p) => !omit.has(p.keyword)).map((p) => `  ${p.keyword} ${p.value}`);
      await fs.writeFile(file, `Host runcode.probe\n${lines.join('\n')}\n`, { mode: 0o600 });
      const r = await runSshG('runcode.probe', { configPath: file, ssh });
      if (r.code === undefined || r.code === 0) break;
      const bad = /Bad configuration option: (\S+)/i.exec(r.stderr)?.[1]?.toLowerCase();
      const pin = FIXED_PINS.slice(2).find((p) => p.keyword.toLowerCase() === bad);
      if (!pin || omit.has(pin.keyword)) break; // something else: let the real check report it
      omit.add(pin.keyword);
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  return omit;
}
