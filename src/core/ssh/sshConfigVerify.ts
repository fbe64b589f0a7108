// After each write, the real OpenSSH client is the judge: `ssh -G -F <file> runcode.NAME` must
// show every pinned value for every host the write changed. A pin that does not hold (an older
// OpenSSH that rejects a keyword, a section we did not foresee) makes the writer restore the
// previous bytes and fail, instead of leaving a config that means something else.
import fs from 'node:fs/promises';
import net from 'node:net';
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

/** What an entry is rendered from (the fields validateHostEntry checks, all strings or a number). */
const RENDERED: readonly (keyof HostEntry)[] = [
  'hostName',
  'port',
  'user',
  'identityFile',
  'knownHostsFile',
  'hostKeyAlias',
];

/**
 * Hosts whose rendered entry differs between `before` and `after` (new or changed), field by
 * field (JSON of 2,000 entries was ~2 ms a write, and took a different key order for a change).
 */
export function changedEntries(before: readonly HostEntry[], after: readonly HostEntry[]): HostEntry[] {
  const old = new Map(before.map((e) => [e.name, e]));
  return after.filter((e) => {
    const o = old.get(e.name);
    return !o || RENDERED.some((f) => o[f] !== e[f]);
  });
}

/** At most this many hosts are asked about per write (one per kind: see verificationSample). */
const MAX_SAMPLE = 8;

/**
 * Hosts of one kind: the same characters outside [A-Za-z0-9] in each value, the same length class,
 * an IP literal or a name. How OpenSSH reads a value (quotes, `%`, spaces, `:`) depends on these.
 * `charsOf` memoises by what is left once letters and digits are gone (1,000 hosts: ~1 ms).
 */
function kindOf(e: HostEntry, charsOf: (v: string) => string): string {
  const values = [e.name, e.hostName, e.user, e.identityFile, e.knownHostsFile, e.hostKeyAlias];
  return JSON.stringify([values.map(charsOf), values.map((v) => v.length > 200), net.isIP(e.hostName)]);
}

function charsMemo(): (v: string) => string {
  const memo = new Map<string, string>();
  return (v) => {
    const rest = v.replace(/[A-Za-z0-9]+/g, '');
    let chars = memo.get(rest);
    if (chars === undefined) memo.set(rest, (chars = [...new Set(rest)].sort().join('')));
    return chars;
  };
}

/**
 * The hosts worth asking `ssh -G` about after a write: all the changed ones up to four (a section
 * of the user's that names one of them, and breaks it, is seen too), else one of each kind among
 * them (up to MAX_SAMPLE). What a host of ours reads first is its own section, and OpenSSH keeps the
 * first value it reads for each option: our block is first in the file (spliceBlock puts it
 * there; only comment lines may stand above it), each section's `Host runcode.NAME` matches that
 * name alone (names are [a-z0-9-], no pattern characters), and every section sets every pin in the
 * same template (renderBlock). So nothing outside the block can bend a pin for one of our hosts and
 * not for another, and a keyword ssh does not know it refuses for every host; what can
 * differ between hosts is how OpenSSH reads their own values, which depends on their kind, not on
 * the host. 1,000 hosts of one state dir and one gateway are one kind: one `ssh -G` (~35 ms of
 * CPU reading a 1.2 MB file). Asking about each of 1,000 hosts cost 1,000 processes per write (the
 * config bench timed out); the sample was then the first two and the last two changed hosts,
 * which cost 4 processes and did not look at the values' kinds.
 */
export function verificationSample(changed: readonly HostEntry[]): HostEntry[] {
  if (changed.length <= 4) return [...changed];
  const byKind = new Map<string, HostEntry>();
  const charsOf = charsMemo();
  for (const e of changed) {
    const kind = kindOf(e, charsOf);
    if (!byKind.has(kind)) byKind.set(kind, e);
    if (byKind.size === MAX_SAMPLE) break;
  }
  return [...byKind.values()];
}

/**
 * What `ssh -G`'s verdict on a write depends on besides our entries: the text around our block,
 * the pins left out, the ssh binary. Every entry is rendered by the same template from validated
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
