import { describe, expect, it } from 'vitest';
import { isRuncodeError } from '../errors.js';
import type { HostEntry } from './sshConfigBlock.js';
import {
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

// Verbatim from DESIGN.md.
const DESIGN_BLOCK = `# ------------ BEGIN RUNCODE (managed by RunCode Tray; \`runcode config-ssh --remove\` removes it) ------------
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
Match all
# ------------ END RUNCODE ------------
`;

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isRuncodeError(e) ? e.code : `non-runcode: ${String(e)}`;
  }
  return undefined;
}

describe('renderBlock', () => {
  it('renders exactly the block DESIGN.md shows', () => {
    expect(renderBlock([api])).toBe(DESIGN_BLOCK);
    expect(DESIGN_BLOCK.split('\n')[0]).toBe(BEGIN_MARKER);
  });

  it('sorts entries, ends with one Match all, CRLF on request', () => {
    const text = renderBlock([web, api], '\r\n');
    const lines = text.split('\r\n');
    expect(lines.filter((l) => l.startsWith('Host '))).toEqual(['Host runcode.api', 'Host runcode.web']);
    expect(lines.slice(-3)).toEqual(['Match all', END_MARKER, '']);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('emits only allowlisted keywords', () => {
    const allowed = new Set([
      'Host',
      'HostName',
      'Port',
      'User',
      'IdentityFile',
      'IdentitiesOnly',
      'IdentityAgent',
      'UserKnownHostsFile',
      'HostKeyAlias',
      'StrictHostKeyChecking',
      'UpdateHostKeys',
      'Match',
    ]);
    for (const line of renderBlock([api, web]).split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      expect(allowed.has(line.trim().split(' ')[0]!)).toBe(true);
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
    ['identityFile', '/a"b'],
    ['identityFile', '/a\nIdentityFile /etc/x'],
    ['identityFile', '/a\0b'],
    ['identityFile', '/a/%d/key'],
    ['identityFile', '/a/${HOME}/key'],
    ['identityFile', '/a\rb'],
    ['knownHostsFile', '/dev/null\nStrictHostKeyChecking no'],
    ['knownHostsFile', 'known_hosts'],
    ['knownHostsFile', '/a"b'],
    ['knownHostsFile', '/a%h'],
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
    expect(isRuncodeError(err) && err.code).toBe('invalid_entry');
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
    expect(code(() => renderBlock([api, { ...api }]))).toBe('invalid_entry');
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

  it('places the block after leading Includes and comments, before the first other line', () => {
    const text = originals['leading includes']!;
    const out = setBlock(text, [api]);
    expect(out).toBe(`Include ~/.ssh/conf.d/*\ninclude=/etc/x\n\n${block()}\nHost a\n  User b\n`);
    expect(insertionPoint('Host a\n')).toBe(0);
  });

  it('keeps CRLF files CRLF', () => {
    const out = setBlock(originals.crlf!, [api]);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(out).toBe(`Include x\r\n\r\n${block('\r\n')}\r\nHost *\r\n  User evil\r\n`);
  });

  it('handles a last line without newline', () => {
    expect(setBlock('Include a', [api])).toBe(`Include a\n${block()}`);
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
