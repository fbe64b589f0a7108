// The RunCode block in ~/.ssh/config (DESIGN.md "The ~/.ssh/config block"): rendering, parsing
// and splicing, as pure string functions. No I/O here: sshConfigFile.ts owns the file.
import { RuncodeError } from '../errors.js';
import { FIXED_PINS, escapePercent } from './sshConfigPins.js';
import {
  isHostKeyAlias,
  isHostName,
  isPort,
  isSafeConfigPath,
  isSshUser,
  isWorkspaceName,
} from './sshValues.js';
import { HOST_PREFIX } from '../../shared/workspaceName.js';
import type { HostEntry } from './hostEntry.js';

export const BEGIN_MARKER =
  '# ------------ BEGIN RUNCODE (managed by RunCode Tray; `runcode config-ssh --remove` removes it) ------------';
export const END_MARKER = '# ------------ END RUNCODE ------------';

/** The only keywords this module can ever emit; command keywords only with `none`/`no`. */
export const ALLOWED_KEYWORDS: ReadonlySet<string> = new Set([
  'Host',
  'HostName',
  'Port',
  'User',
  'IdentityFile',
  'UserKnownHostsFile',
  'GlobalKnownHostsFile',
  'HostKeyAlias',
  ...FIXED_PINS.map((p) => p.keyword),
  'Match',
]);

// Loose on purpose: a hand-edited marker still counts, so we refuse instead of adding a second block.
// One multiline regex over the whole text: a 5,000-line config is scanned in well under a ms.
const MARKER_LINE = /^[ \t]*#[^\n]*\b(BEGIN|END) RUNCODE\b/gim;

const show = (v: unknown): string => JSON.stringify(v)?.slice(0, 80) ?? String(v);

function invalid(name: unknown, field: string, why: string): never {
  const who = isWorkspaceName(name) ? name : show(name);
  throw new RuncodeError('invalid_argument', `workspace ${who}: ${field} ${why}`);
}

/** Re-validates every field (defence in depth: callers validated the backend's answer already). */
export function validateHostEntry(e: HostEntry): void {
  const n = e?.name;
  if (!isWorkspaceName(n))
    invalid(n, 'name', 'must be 1-63 lowercase letters, digits or -, not starting with -');
  if (!isHostName(e.hostName)) invalid(n, 'hostName', `${show(e.hostName)} is not a hostname or IP address`);
  if (!isPort(e.port)) invalid(n, 'port', `${show(e.port)} is not a port (1-65535)`);
  if (!isSshUser(e.user)) invalid(n, 'user', `${show(e.user)} is not a valid SSH user name`);
  for (const field of ['identityFile', 'knownHostsFile'] as const) {
    if (!isSafeConfigPath(e[field])) {
      invalid(n, field, `${show(e[field])} must be an absolute path without control characters or "\${"`);
    }
  }
  if (!isHostKeyAlias(e.hostKeyAlias))
    invalid(n, 'hostKeyAlias', `${show(e.hostKeyAlias)} is not a runcode-* alias`);
}

// OpenSSH (misc.c argv_split) unescapes \\ and \" inside quotes; doubling keeps Windows paths
// intact. `%` is a token in IdentityFile and UserKnownHostsFile (`%%` is a literal one), not in
// GlobalKnownHostsFile. `${` cannot be escaped: validateHostEntry refuses it.
const quotePath = (p: string, percent = true): string =>
  `"${(percent ? escapePercent(p) : p).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
function unquotePath(q: string, percent = true): string | undefined {
  const m = /^"((?:[^"\\]|\\["\\])*)"$/.exec(q);
  if (!m) return undefined;
  const raw = m[1]!.replace(/\\(["\\])/g, '$1');
  if (!percent) return raw;
  return raw.replace(/%%/g, '').includes('%') ? undefined : raw.replace(/%%/g, '%');
}

// The first two (IdentitiesOnly, IdentityAgent: in every OpenSSH) are never omitted.
const pinLines = (omit: ReadonlySet<string>): string[] =>
  FIXED_PINS.filter((p, i) => i < 2 || !omit.has(p.keyword)).map((p) => `  ${p.keyword} ${p.value}`);

/** The lines that carry the entry's own values; the pins go between and after them. */
const valueLines = (e: HostEntry): string[] => [
  `Host ${HOST_PREFIX}${e.name}`,
  `  HostName ${e.hostName}`,
  `  Port ${e.port}`,
  `  User ${e.user}`,
  `  IdentityFile ${quotePath(e.identityFile)}`,
  `  UserKnownHostsFile ${quotePath(e.knownHostsFile)}`,
  `  GlobalKnownHostsFile ${quotePath(e.knownHostsFile, false)}`,
  `  HostKeyAlias ${e.hostKeyAlias}`,
];

/** Every emitted line but the markers: an allowed keyword, one line, no NUL. */
function checkLine(line: string): void {
  const body = line.startsWith('  ') ? line.slice(2) : line;
  const keyword = body.slice(0, body.indexOf(' '));
  const ok = ALLOWED_KEYWORDS.has(keyword) && (keyword !== 'Match' || line === 'Match all');
  if (!ok || line.includes('\n') || line.includes('\r') || line.includes('\0')) {
    throw new Error(`refusing to emit ssh config line ${show(line)}`);
  }
}

/**
 * The whole block, markers included, each line ending with `eol`. Entries are sorted by name.
 * `omit`: pin keywords the local OpenSSH does not know (it would reject the whole file); see
 * unsupportedPins() in sshConfigVerify.ts. Never IdentitiesOnly or IdentityAgent.
 * Each entry is built as one string: the pin lines are the same for all, so they are checked
 * once, the lines with the entry's values per entry (a line per array element for 1,000 hosts
 * was 44,000 strings to check and join: ~30 ms).
 */
export function renderBlock(
  entries: readonly HostEntry[],
  eol: '\n' | '\r\n' = '\n',
  omit: ReadonlySet<string> = new Set(),
): string {
  validateEntries(entries);
  const pins = pinLines(omit);
  for (const line of [...pins, 'Match all']) checkLine(line);
  const afterKey = eol + pins.slice(0, 2).join(eol) + eol;
  const rest = pins.length > 2 ? eol + pins.slice(2).join(eol) : '';
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out = [BEGIN_MARKER + eol];
  for (const e of sorted) {
    const v = valueLines(e);
    for (const line of v) checkLine(line);
    out.push(v.slice(0, 5).join(eol), afterKey, v.slice(5).join(eol), rest, eol);
  }
  out.push('Match all', eol, END_MARKER, eol);
  return out.join('');
}

/** Validates every entry and refuses a name given twice (renderBlock does this first). */
export function validateEntries(entries: readonly HostEntry[]): void {
  const seen = new Set<string>();
  for (const e of entries) {
    validateHostEntry(e);
    if (seen.has(e.name)) invalid(e.name, 'name', 'appears twice');
    seen.add(e.name);
  }
}

export function detectEol(text: string): '\n' | '\r\n' {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

interface Line {
  start: number;
  /** Offset after the line's terminator (or the end of the text). */
  end: number;
}

function corrupt(where: string, why: string): never {
  throw new RuncodeError(
    'config_markers',
    `the RunCode block in ${where} ${why}; fix or delete the RunCode lines by hand, then try again (nothing was changed)`,
  );
}

type Span = { start: number; end: number };
// The last text located and its span: one write locates the same 1.2 MB text 3-4 times (splice,
// the entries before, the check), ~1.2 ms each. Same text, same span; a refusal is not kept.
let lastLocated: { text: string; span: Span | undefined } | undefined;

/** [start, end) of the block, END line's terminator included; undefined if there is none. */
export function locateBlock(text: string, where = 'the SSH config'): Span | undefined {
  if (lastLocated?.text !== text) lastLocated = { text, span: findBlock(text, where) };
  return lastLocated.span && { ...lastLocated.span };
}

function findBlock(text: string, where: string): Span | undefined {
  const begins: Line[] = [];
  const ends: Line[] = [];
  for (const m of text.matchAll(MARKER_LINE)) {
    const nl = text.indexOf('\n', m.index);
    const end = nl === -1 ? text.length : nl + 1;
    const line = { start: m.index, end };
    (m[1]!.toUpperCase() === 'BEGIN' ? begins : ends).push(line);
  }
  if (begins.length === 0 && ends.length === 0) return undefined;
  if (begins.length > 1) corrupt(where, `has ${begins.length} BEGIN RUNCODE markers`);
  if (ends.length > 1) corrupt(where, `has ${ends.length} END RUNCODE markers`);
  const [b] = begins;
  const [e] = ends;
  if (!b) corrupt(where, 'has an END RUNCODE marker without a BEGIN');
  if (!e) corrupt(where, 'has a BEGIN RUNCODE marker without an END');
  if (e.start < b.start) corrupt(where, 'has its END RUNCODE marker before its BEGIN');
  return { start: b.start, end: e.end };
}

/** True when only blank and comment lines come before `offset`: then the block is read first. */
function onlyCommentsBefore(text: string, offset: number): boolean {
  return text
    .slice(0, offset)
    .split('\n')
    .every((l) => l.trim() === '' || l.trim().startsWith('#'));
}

/**
 * Where a new block goes: the very top. OpenSSH takes the first value it reads for each option,
 * so anything above the block (an `Include` whose `Host *` sets ProxyCommand, a global option)
 * would win over our pins; the block's closing `Match all` keeps what follows global.
 */
export function insertionPoint(_text: string): number {
  return 0;
}

/**
 * Puts `block` (rendered with the text's EOL) in place of the existing block, or inserts it, or
 * (block undefined) removes it. Insert adds the block plus exactly one EOL (or, after a last line
 * without one, one EOL before it); remove takes exactly that away, so insert+remove is identity.
 * A block below some directive (written by an older version after the leading Includes) moves to
 * the top: removed as by `remove`, inserted as new, every other byte kept.
 */
export function spliceBlock(text: string, block: string | undefined, where = 'the SSH config'): string {
  const span = locateBlock(text, where);
  const eol = detectEol(text);
  if (block === undefined || (span && !onlyCommentsBefore(text, span.start))) {
    if (!span) return text;
    let { start, end } = span;
    if (text.startsWith('\r\n', end)) end += 2;
    else if (text[end] === '\n') end += 1;
    else if (end === text.length && start > 0 && text[start - 1] === '\n') {
      start -= start > 1 && text[start - 2] === '\r' ? 2 : 1;
    }
    const rest = text.slice(0, start) + text.slice(end);
    return block === undefined ? rest : spliceBlock(rest, block, where);
  }
  if (span) {
    const old = text.slice(span.start, span.end);
    const body = old.endsWith('\n') ? block : block.replace(/\r?\n$/, '');
    return text.slice(0, span.start) + body + text.slice(span.end);
  }
  const p = insertionPoint(text);
  if (p === text.length && text.length > 0 && !text.endsWith('\n')) return text + eol + block;
  return text.slice(0, p) + block + eol + text.slice(p);
}

/** Sets the block to `entries` (none: removes it). For whole-string callers; keeps the text's EOL. */
export function setBlock(text: string, entries: readonly HostEntry[], where?: string): string {
  if (entries.length === 0) return spliceBlock(text, undefined, where);
  return spliceBlock(text, renderBlock(entries, detectEol(text)), where);
}

const FIELD_OF = new Map<string, keyof HostEntry>([
  ['HostName', 'hostName'],
  ['Port', 'port'],
  ['User', 'user'],
  ['IdentityFile', 'identityFile'],
  ['UserKnownHostsFile', 'knownHostsFile'],
  ['HostKeyAlias', 'hostKeyAlias'],
]);
// Blocks written by older versions carry fewer of these; the next write adds the rest.
const FIXED = new Set(FIXED_PINS.map((p) => `${p.keyword} ${p.value}`));

/** The entries in the text's block ([] without one). A block we did not write is an error. */
export function readBlock(text: string, where = 'the SSH config'): HostEntry[] {
  const span = locateBlock(text, where);
  if (!span) return [];
  const lines = text.slice(span.start, span.end).split('\n').slice(1);
  if (lines[lines.length - 1] === '') lines.pop();
  lines.pop(); // the END marker
  const out: HostEntry[] = [];
  let cur: Partial<HostEntry> | undefined;
  let matchAll = false;
  const finish = (): void => {
    if (!cur) return;
    try {
      validateHostEntry(cur as HostEntry);
    } catch (e) {
      corrupt(where, `was edited by hand (${(e as Error).message})`);
    }
    out.push(cur as HostEntry);
    cur = undefined;
  };
  for (const raw of lines) {
    const t = raw.trim();
    if (t === '') continue;
    if (matchAll) corrupt(where, `has lines after "Match all": ${show(t)}`);
    const m = /^(\S+)\s+(.+)$/.exec(t);
    const [kw, value] = m ? [m[1]!, m[2]!] : [t, ''];
    if (kw === 'Host' && value.startsWith(HOST_PREFIX)) {
      finish();
      cur = { name: value.slice(HOST_PREFIX.length) };
    } else if (t === 'Match all') {
      finish();
      matchAll = true;
    } else if (cur && FIELD_OF.has(kw)) {
      const field = FIELD_OF.get(kw)!;
      const v = field === 'identityFile' || field === 'knownHostsFile' ? unquotePath(value) : value;
      if (v === undefined) corrupt(where, `has an unquoted ${kw}`);
      (cur as Record<string, unknown>)[field] =
        field !== 'port' ? v : /^[1-9]\d{0,4}$/.test(v) ? Number(v) : NaN;
    } else if (cur && kw === 'GlobalKnownHostsFile') {
      // Derived from UserKnownHostsFile; only its form is checked.
      if (unquotePath(value, false) === undefined) corrupt(where, `has an unquoted ${kw}`);
    } else if (!(cur && FIXED.has(t))) {
      corrupt(where, `has an unexpected line ${show(t)}`);
    }
  }
  finish();
  if (!matchAll) corrupt(where, 'does not end with "Match all"');
  return out;
}
