import { describe, expect, it } from 'vitest';
import { isRuncodeError } from '../errors.js';
import type { HostEntry } from './hostEntry.js';
import { FIXED_PINS } from './sshConfigPins.js';
import {
  ALLOWED_KEYWORDS,
  BEGIN_MARKER,
  END_MARKER,
  insertionPoint,
  locateBlock,
  readBlock,
  renderBlock,
  setBlock,
} from './sshConfigBlock.js';

const api: HostEntry = {
  name: 'api',
  hostName: '127.0.0.1',
  port: 2222,
  user: 'ws-api',
  identityFile: '/Users/me/Library/Application Support/runcode/keys/api',
  knownHostsFile: '/Users/me/Library/Application Support/runcode/known_hosts',
  hostKeyAlias: 'runcode-gateway',
};
const web: HostEntry = { ...api, name: 'web', user: 'ws-web', identityFile: '/state/keys/web' };

// The example in DESIGN.md ("...every other option" stands for the rest of the pins).
const DESIGN_LINES =
  `# ------------ BEGIN RUNCODE (managed by RunCode Tray; \`runcode config-ssh --remove\` removes it) ------------
Host runcode.api
  HostName 127.0.0.1
  Port 2222
  User ws-api
  IdentityFile "/Users/me/Library/Application Support/runcode/keys/api"
  IdentitiesOnly yes
  IdentityAgent none
  UserKnownHostsFile "/Users/me/Library/Application Support/runcode/known_hosts"
  HostKeyAlias runcode-gateway
  StrictHostKeyChecking yes
  UpdateHostKeys no
  ForwardAgent no
  ForwardX11 no
  PermitLocalCommand no
  ProxyCommand none
  ProxyJump none
  ControlMaster no
  ControlPath none
Match all
# ------------ END RUNCODE ------------`.split('\n');

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isRuncodeError(e) ? e.code : `non-runcode: ${String(e)}`;
  }
  return undefined;
}

describe('renderBlock', () => {
  it('renders the block DESIGN.md shows: its lines, in its order, plus the other pins', () => {
    const lines = renderBlock([api]).split('\n');
    expect(lines.filter((l) => DESIGN_LINES.includes(l))).toEqual(DESIGN_LINES);
    expect(DESIGN_LINES[0]).toBe(BEGIN_MARKER);
    for (const pin of FIXED_PINS) expect(lines).toContain(`  ${pin.keyword} ${pin.value}`);
    expect(lines).toContain(
      '  GlobalKnownHostsFile "/Users/me/Library/Application Support/runcode/known_hosts"',
    );
  });

  it('writes command keywords only as none/no, and never ClearAllForwardings', () => {
    const commands = ['ProxyCommand', 'LocalCommand', 'RemoteCommand', 'KnownHostsCommand', 'PKCS11Provider'];
    for (const line of renderBlock([api, web]).split('\n')) {
      const [kw, ...rest] = line.trim().split(' ');
      if (commands.includes(kw!)) expect(rest).toEqual(['none']);
      expect(kw).not.toBe('ClearAllForwardings');
    }
  });

  it('sorts entries, ends with one Match all, CRLF on request', () => {
    const text = renderBlock([web, api], '\r\n');
    const lines = text.split('\r\n');
    expect(lines.filter((l) => l.startsWith('Host '))).toEqual(['Host runcode.api', 'Host runcode.web']);
    expect(lines.slice(-3)).toEqual(['Match all', END_MARKER, '']);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('emits only allowlisted keywords', () => {
    for (const line of renderBlock([api, web]).split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      expect(ALLOWED_KEYWORDS.has(line.trim().split(' ')[0]!)).toBe(true);
    }
  });

  it('escapes %, " and \\ in paths and reads them back', () => {
    const odd = { ...api, identityFile: '/st%ate/a"b\\c$d/key', knownHostsFile: '/st%ate/kh' };
    const text = renderBlock([odd]);
    expect(text).toContain('  IdentityFile "/st%%ate/a\\"b\\\\c$d/key"');
    expect(text).toContain('  UserKnownHostsFile "/st%%ate/kh"');
    expect(text).toContain('  GlobalKnownHostsFile "/st%ate/kh"'); // no %-tokens there
    expect(readBlock(text)).toEqual([odd]);
  });

  it('reads back exactly what it rendered, sorted, fields in its own order (the writer relies on it)', () => {
    // SshConfigFile keeps the entries it wrote instead of parsing its own block again.
    const odd = {
      ...api,
      name: 'odd',
      identityFile: '/st%ate/a"b\\c$d/ k %%',
      knownHostsFile: '/s "t%/k\\h',
    };
    const shuffled = {
      hostKeyAlias: 'runcode-gateway.z',
      user: 'u',
      port: 1,
      hostName: '::1',
      knownHostsFile: '/kh',
      identityFile: '/k',
      name: 'z',
    };
    const ordered = (e: HostEntry): HostEntry => ({
      name: e.name,
      hostName: e.hostName,
      port: e.port,
      user: e.user,
      identityFile: e.identityFile,
      knownHostsFile: e.knownHostsFile,
      hostKeyAlias: e.hostKeyAlias,
    });
    for (const eol of ['\n', '\r\n'] as const) {
      const back = readBlock(renderBlock([shuffled, web, odd, api], eol));
      expect(JSON.stringify(back)).toBe(JSON.stringify([api, odd, web, shuffled].map(ordered)));
    }
  });

  it('doubles backslashes inside quotes (OpenSSH unescapes \\\\)', () => {
    expect(renderBlock([{ ...api, identityFile: '/a\\b' }])).toContain('IdentityFile "/a\\\\b"');
  });

  const hostile: Array<[keyof HostEntry, unknown]> = [
    ['name', 'a\nProxyCommand evil'],
    ['name', 'a b'],
    ['name', '*'],
    ['name', 'a*'],
    ['name', '#a'],
    ['name', '%h'],
    ['name', '"a"'],
    ['name', '-a'],
    ['name', 'Api'],
    ['name', 'é'],
    ['name', ''],
    ['name', 'a'.repeat(64)],
    ['name', 'a.b'],
    ['name', 42],
    ['hostName', 'evil\n  ProxyCommand sh'],
    ['hostName', 'a b'],
    ['hostName', '"a"'],
    ['hostName', 'fe80::1%eth0'],
    ['hostName', '%h'],
    ['hostName', '*.example.com'],
    ['hostName', 'a?'],
    ['hostName', '!a'],
    ['hostName', 'a#b'],
    ['hostName', '-oProxyCommand=x'],
    ['hostName', ''],
    ['hostName', '[::1]'],
    ['hostName', 'a,b'],
    ['hostName', 'exämple.com'],
    ['port', 0],
    ['port', 65536],
    ['port', 22.5],
    ['port', '22'],
    ['port', -1],
    ['port', Number.NaN],
    ['user', '-oProxyCommand=x'],
    ['user', 'a b'],
    ['user', 'a\nb'],
    ['user', '%u'],
    ['user', 'a"b'],
    ['user', 'a#b'],
    ['user', ''],
    ['user', 'a'.repeat(65)],
    ['user', '*'],
    ['identityFile', 'relative/key'],
    ['identityFile', '~/.ssh/id_rsa'],
    ['identityFile', '/a\nIdentityFile /etc/x'],
    ['identityFile', '/a\0b'],
    ['identityFile', '/a/${HOME}/key'],
    ['identityFile', '/a\rb'],
    ['knownHostsFile', '/dev/null\nStrictHostKeyChecking no'],
    ['knownHostsFile', 'known_hosts'],
    ['knownHostsFile', '/a/${HOME}/kh'],
    ['hostKeyAlias', 'evil'],
    ['hostKeyAlias', 'runcode-a b'],
    ['hostKeyAlias', 'runcode-*'],
    ['hostKeyAlias', 'runcode-a,evil'],
    ['hostKeyAlias', 'runcode-a\nx'],
    ['hostKeyAlias', 'runcode-A'],
  ];
  it.each(hostile)('refuses hostile %s %j naming the field', (field, value) => {
    const entry = { ...api, [field]: value } as HostEntry;
    let err: unknown;
    try {
      renderBlock([entry]);
    } catch (e) {
      err = e;
    }
    expect(isRuncodeError(err) && err.code).toBe('invalid_argument');
    expect((err as Error).message).toContain(`${field} `);
    expect((err as Error).message).not.toContain('\n');
  });

  it('accepts IPv6 literals, DNS names and Windows-ish absolute paths', () => {
    expect(renderBlock([{ ...api, hostName: '::1' }])).toContain('HostName ::1');
    expect(renderBlock([{ ...api, hostName: 'gw-1.runcode.example.com' }])).toContain(
      'HostName gw-1.runcode',
    );
    expect(renderBlock([{ ...api, user: 'ws_a.b-c' }])).toContain('User ws_a.b-c');
  });

  it('refuses duplicate names', () => {
    expect(code(() => renderBlock([api, { ...api }]))).toBe('invalid_argument');
  });
});

describe('splicing', () => {
  const block = (eol = '\n'): string => renderBlock([api], eol as '\n');
  const originals: Record<string, string> = {
    empty: '',
    'no final newline': 'Host a\n  User b',
    'only a comment, no newline': '# hello',
    'leading includes': 'Include ~/.ssh/conf.d/*\ninclude=/etc/x\n\nHost a\n  User b\n',
    'includes only, no final newline': 'Include a\n# c\nInclude b',
    crlf: 'Include x\r\n\r\nHost *\r\n  User evil\r\n',
    'crlf no final newline': 'Host *\r\n  User evil',
    'blank lines': '\n\n\n',
    'host star first': 'Host *\n  User evil\n  ProxyCommand nc %h %p\n',
    'latin1-ish bytes': '# caf\u00e9\nHost a\n',
  };

  it.each(Object.entries(originals))('%s: insert then remove gives back the same bytes', (_n, text) => {
    const withBlock = setBlock(text, [api]);
    expect(withBlock).not.toBe(text);
    expect(locateBlock(withBlock)).toBeDefined();
    expect(readBlock(withBlock)).toEqual([api]);
    // Replace in place keeps everything outside the block.
    const replaced = setBlock(withBlock, [api, web]);
    expect(readBlock(replaced)).toEqual([api, web]);
    expect(setBlock(replaced, [])).toBe(text);
    expect(setBlock(withBlock, [])).toBe(text);
    // Idempotent.
    expect(setBlock(withBlock, [api])).toBe(withBlock);
  });

  it('places the block first, before leading Includes and comments', () => {
    const text = originals['leading includes']!;
    expect(setBlock(text, [api])).toBe(`${block()}\n${text}`);
    expect(insertionPoint('Host a\n')).toBe(0);
  });

  it('moves a block written after Includes to the top, every other byte kept', () => {
    const text = 'Include ~/.ssh/conf.d/*\n\nHost a\n  User b\n';
    const old = `Include ~/.ssh/conf.d/*\n\n${renderBlock([web])}\nHost a\n  User b\n`;
    const moved = setBlock(old, [api]);
    expect(moved).toBe(`${block()}\n${text}`);
    expect(setBlock(moved, [])).toBe(text);
    // Below only comments and blank lines it stays where it is.
    const commented = `# mine\n\n${block()}\nHost a\n`;
    expect(setBlock(commented, [api, web]).startsWith('# mine\n\n')).toBe(true);
  });

  it('keeps CRLF files CRLF', () => {
    const out = setBlock(originals.crlf!, [api]);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(out).toBe(`${block('\r\n')}\r\nInclude x\r\n\r\nHost *\r\n  User evil\r\n`);
  });

  it('handles a last line without newline', () => {
    expect(setBlock('Include a', [api])).toBe(`${block()}\nInclude a`);
    expect(setBlock('Host a', [api])).toBe(`${block()}\nHost a`);
    expect(setBlock('', [api])).toBe(`${block()}\n`);
  });

  const broken: Record<string, string> = {
    'two BEGINs': `${BEGIN_MARKER}\n${BEGIN_MARKER}\nMatch all\n${END_MARKER}\n`,
    'two blocks': `${block()}\n${block()}`,
    'BEGIN without END': `Host a\n${BEGIN_MARKER}\nHost runcode.x\n`,
    'END without BEGIN': `Host a\n${END_MARKER}\n`,
    'END before BEGIN': `${END_MARKER}\n${BEGIN_MARKER}\n`,
    'edited marker still counts': `# ---- begin runcode edited\n${block()}`,
  };
  it.each(Object.entries(broken))('refuses markers: %s', (_n, text) => {
    expect(code(() => setBlock(text, [api]))).toBe('config_markers');
    expect(code(() => setBlock(text, []))).toBe('config_markers');
    expect(code(() => readBlock(text))).toBe('config_markers');
  });

  it('refuses to read a block edited by hand', () => {
    const edited = block().replace('  UpdateHostKeys no\n', '  UpdateHostKeys no\n  ProxyCommand evil\n');
    expect(code(() => readBlock(edited))).toBe('config_markers');
    const badPort = block().replace('Port 2222', 'Port 99999');
    expect(code(() => readBlock(badPort))).toBe('config_markers');
    const proto = block().replace('  UpdateHostKeys no\n', '  UpdateHostKeys no\n  constructor x\n');
    expect(code(() => readBlock(proto))).toBe('config_markers');
    const noMatch = block().replace('Match all\n', '');
    expect(code(() => readBlock(noMatch))).toBe('config_markers');
  });
});
