// What OpenSSH will really use for a host: `ssh -G` prints the effective option values after
// reading every section and Include. Parsing is pure (and tested on its own); checking our pins
// against it is shared by the config writer (after each write) and doctor.
import { execFile } from 'node:child_process';
import type { HostEntry } from './hostEntry.js';
import { ACCUMULATING, expectedEffective } from './sshConfigPins.js';

/** Option (lowercase) -> every value `ssh -G` printed for it, in order. */
export type EffectiveConfig = ReadonlyMap<string, readonly string[]>;

/** Parses `ssh -G` output: one `key value...` line per value; repeated keys accumulate. */
export function parseSshG(stdout: string): EffectiveConfig {
  const out = new Map<string, string[]>();
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const i = line.indexOf(' ');
    if (i <= 0) continue;
    const key = line.slice(0, i).toLowerCase();
    const list = out.get(key);
    if (list) list.push(line.slice(i + 1));
    else out.set(key, [line.slice(i + 1)]);
  }
  return out;
}

export interface PinViolation {
  /** The keyword as written in ssh_config, e.g. `ProxyCommand`. */
  keyword: string;
  /** What `ssh -G` shows (undefined: unset). */
  actual: string | undefined;
  expected: string | null;
}

/** Every pinned option of `entry` whose effective value is not ours. */
export function pinViolations(
  entry: HostEntry,
  eff: EffectiveConfig,
  omit: ReadonlySet<string> = new Set(),
): PinViolation[] {
  const out: PinViolation[] = [];
  for (const pin of expectedEffective(entry, omit)) {
    const actual = eff.get(pin.g)?.[0];
    // `none` prints nothing; some ssh builds print the literal `none` instead.
    const ok = pin.effective === null ? actual === undefined || actual === 'none' : actual === pin.effective;
    if (!ok) out.push({ keyword: pin.keyword, actual, expected: pin.effective });
  }
  return out;
}

// Sent by default from /etc/ssh/ssh_config on Debian and macOS: locale and terminal, no secrets.
const BENIGN_SENDENV = new Set(['LANG', 'LC_*', 'COLORTERM', 'NO_COLOR', 'TERM']);

/** Values of options that add up (IdentityFile, CertificateFile, ...) that are not ours. */
export function accumulatedExtras(entry: HostEntry, eff: EffectiveConfig): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const ours = expectedEffective(entry).find((p) => p.g === 'identityfile')!.effective;
  for (const key of ACCUMULATING) {
    let values = [...(eff.get(key) ?? [])];
    if (key === 'identityfile') values = values.filter((v) => v !== ours);
    if (key === 'sendenv') values = values.flatMap((v) => v.split(/\s+/)).filter((v) => !BENIGN_SENDENV.has(v));
    if (values.length) out.set(key, values);
  }
  return out;
}

export function describeViolation(v: PinViolation): string {
  const want = v.expected === null ? 'none' : v.expected;
  return `${v.keyword} is ${v.actual ?? 'unset'}, not ${want}`;
}

export interface SshGResult {
  /** undefined: no `ssh` binary (ENOENT). */
  code: number | undefined;
  stdout: string;
  stderr: string;
}

/** Runs `ssh -G [-F configPath] runcode.NAME` (or any host). Never throws. */
export function runSshG(
  host: string,
  opts: { configPath?: string; ssh?: string; timeoutMs?: number } = {},
): Promise<SshGResult> {
  const args = [...(opts.configPath ? ['-F', opts.configPath] : []), '-G', '--', host];
  return new Promise((resolve) => {
    execFile(
      opts.ssh ?? 'ssh',
      args,
      { timeout: opts.timeoutMs ?? 15_000, encoding: 'utf8', maxBuffer: 4 << 20 },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
        if (e && e.code === 'ENOENT') return resolve({ code: undefined, stdout: '', stderr: '' });
        const code = e ? (typeof e.code === 'number' ? e.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
