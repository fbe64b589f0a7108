// Real files in temp dirs, and the real OpenSSH client (`ssh -G -F`) as the judge of what the
// written config means. Writers in other processes: sshConfigFile.processes.test.ts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRuncodeError } from '../errors.js';
import type { HostEntry } from './hostEntry.js';
import { BEGIN_MARKER, END_MARKER } from './sshConfigBlock.js';
import { defaultSshConfigPath } from './sshConfigFile.js';
import {
  OTHER,
  bytes,
  cfg,
  entry,
  file,
  home,
  state,
  useSshConfigHome,
  writeCfg,
} from '../testing/sshConfigHome.js';

useSshConfigHome();

const sshG = (host: string, config = cfg): string => {
  const r = spawnSync('ssh', ['-G', '-F', config, host], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};
const opts = (out: string): Map<string, string[]> => {
  const m = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const i = line.indexOf(' ');
    if (i > 0) m.set(line.slice(0, i), [...(m.get(line.slice(0, i)) ?? []), line.slice(i + 1)]);
  }
  return m;
};
async function rejects(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  return isRuncodeError(e) ? e.code : `not a RuncodeError: ${String(e)}`;
}

/** Asserts `ssh -G runcode.NAME` resolves to exactly our options. */
function expectOurOptions(e: HostEntry): void {
  const o = opts(sshG(`runcode.${e.name}`));
  expect(o.get('hostname')).toEqual([e.hostName]);
  expect(o.get('port')).toEqual([String(e.port)]);
  expect(o.get('user')).toEqual([e.user]);
  expect(o.get('identityfile')?.[0]).toBe(e.identityFile);
  expect(o.get('identitiesonly')).toEqual(['yes']);
  expect(o.get('identityagent')).toEqual(['none']);
  expect(o.get('userknownhostsfile')).toEqual([e.knownHostsFile]);
  expect(o.get('hostkeyalias')).toEqual([e.hostKeyAlias]);
  expect(o.get('stricthostkeychecking')).toEqual(['true']);
  expect(o.get('updatehostkeys')).toEqual(['false']);
}

const HOSTILE_STAR = [
  'Host *',
  '  User evil',
  '  Port 1',
  '  HostName evil.example',
  '  IdentitiesOnly no',
  '  IdentityAgent /tmp/evil.sock',
  '  UserKnownHostsFile /dev/null',
  '  HostKeyAlias evil',
  '  StrictHostKeyChecking no',
  '  UpdateHostKeys yes',
  '',
].join('\n');

describe('SshConfigFile', () => {
  it('absent: creates ~/.ssh 0700 and the config 0600; remove gives back "absent"', async () => {
    const f = file();
    expect(await f.read()).toEqual([]);
    expect(await f.apply([entry('api')])).toEqual({ changed: true, path: cfg });
    expect(fs.statSync(path.dirname(cfg)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(cfg).mode & 0o777).toBe(0o600);
    expect(bytes().toString()).toMatch(new RegExp(`^${BEGIN_MARKER.slice(0, 20)}`));
    expect(await f.read()).toEqual([entry('api')]);
    expectOurOptions(entry('api'));
    expect(fs.existsSync(`${cfg}.runcode-backup`)).toBe(false); // nothing to back up
    expect(await f.remove()).toEqual({ changed: true, path: cfg });
    expect(fs.existsSync(cfg)).toBe(false);
    expect(await f.remove()).toEqual({ changed: false, path: cfg });
    expect(fs.readdirSync(path.dirname(cfg))).toEqual([]); // no lock, temp or backup left
  });

  it('empty file: keeps its mode; remove leaves it empty (it was not ours to delete)', async () => {
    writeCfg('', 0o644);
    const f = file();
    await f.apply([entry('api')]);
    expect(fs.statSync(cfg).mode & 0o777).toBe(0o644);
    expectOurOptions(entry('api'));
    expect(bytes(`${cfg}.runcode-backup`).length).toBe(0);
    expect(fs.statSync(`${cfg}.runcode-backup`).mode & 0o777).toBe(0o644);
    await f.remove();
    expect(bytes().length).toBe(0);
  });

  const originals: Record<string, Buffer> = {
    crlf: Buffer.from(`Include /nonexistent/*.conf\r\n\r\n${OTHER}${HOSTILE_STAR}`.replace(/\r?\n/g, '\r\n')),
    'no final newline': Buffer.from(`${OTHER}Host *\n  User evil`),
    'leading includes': Buffer.from(`# mine\nInclude /nonexistent/a\nInclude=/nonexistent/b\n\n${OTHER}`),
    'hostile Host * above': Buffer.from(`${HOSTILE_STAR}\n${OTHER}`),
    'hostile Host * below': Buffer.from(`${OTHER}${HOSTILE_STAR}`),
    'non-UTF-8 bytes': Buffer.concat([
      Buffer.from('# caf'),
      Buffer.from([0xe9, 0xff]),
      Buffer.from(`\n${OTHER}`),
    ]),
  };
  it.each(Object.entries(originals))(
    '%s: our options win, otherhost is unchanged, remove restores the bytes',
    async (_n, original) => {
      writeCfg(original);
      const otherBefore = sshG('otherhost');
      const f = file();
      const api = entry('api', { identityFile: path.join(state, 'keys', 'api') });
      await f.apply([api, entry('web')]);
      expectOurOptions(api);
      expectOurOptions(entry('web'));
      expect(sshG('otherhost')).toBe(otherBefore);
      const after = bytes().toString('latin1');
      if (_n === 'crlf') expect(after.replace(/\r\n/g, '')).not.toContain('\n');
      if (_n === 'leading includes') expect(after.indexOf(BEGIN_MARKER)).toBe(0); // first, before the Includes
      expect(bytes(`${cfg}.runcode-backup`).equals(original)).toBe(true);
      await f.remove();
      expect(bytes().equals(original)).toBe(true);
    },
  );

  it('apply twice is idempotent: no second write (inode and mtime unchanged)', async () => {
    writeCfg(OTHER);
    const f = file();
    expect((await f.apply([entry('b'), entry('a')])).changed).toBe(true);
    const st = fs.statSync(cfg);
    await new Promise((r) => setTimeout(r, 20));
    expect((await f.apply([entry('a'), entry('b')])).changed).toBe(false);
    const st2 = fs.statSync(cfg);
    expect([st2.ino, st2.mtimeMs]).toEqual([st.ino, st.mtimeMs]);
  });

  it('backs up once: later changes never overwrite the backup', async () => {
    writeCfg(OTHER);
    const f = file();
    await f.apply([entry('a')]);
    fs.appendFileSync(cfg, 'Host later\n  User x\n');
    await f.apply([entry('a'), entry('b')]);
    await f.remove();
    await f.apply([entry('c')]);
    expect(bytes(`${cfg}.runcode-backup`).toString()).toBe(OTHER);
    expect(fs.readdirSync(path.dirname(cfg)).sort()).toEqual(['config', 'config.runcode-backup']);
  });

  it('follows a symlinked config: the link stays, the target changes, remove restores it', async () => {
    const dotfiles = path.join(home, 'dotfiles');
    fs.mkdirSync(dotfiles);
    fs.writeFileSync(path.join(dotfiles, 'ssh_config'), OTHER, { mode: 0o640 });
    fs.mkdirSync(path.dirname(cfg), { mode: 0o700 });
    fs.symlinkSync('../dotfiles/ssh_config', cfg);
    const f = file();
    expect((await f.apply([entry('api')])).path).toBe(path.join(dotfiles, 'ssh_config'));
    expect(fs.lstatSync(cfg).isSymbolicLink()).toBe(true);
    expect(fs.statSync(cfg).mode & 0o777).toBe(0o640);
    expectOurOptions(entry('api'));
    expect(fs.existsSync(path.join(dotfiles, 'ssh_config.runcode-backup'))).toBe(true);
    await f.remove();
    expect(fs.readFileSync(path.join(dotfiles, 'ssh_config'), 'utf8')).toBe(OTHER);
    expect(fs.lstatSync(cfg).isSymbolicLink()).toBe(true);
  });

  it('read-only file or directory: config_not_writable, nothing written', async () => {
    writeCfg(OTHER, 0o444);
    const ro: unknown = await file()
      .apply([entry('api')])
      .catch((e: unknown) => e);
    expect(isRuncodeError(ro) && ro.code).toBe('config_not_writable');
    expect((ro as Error).message).toContain(`${cfg} is not writable (mode 0444)`);
    expect(bytes().toString()).toBe(OTHER);
    fs.chmodSync(cfg, 0o600);
    fs.chmodSync(path.dirname(cfg), 0o555);
    const err: unknown = await file()
      .apply([entry('api')])
      .catch((e: unknown) => e);
    expect(isRuncodeError(err) && err.code).toBe('config_not_writable');
    expect((err as Error).message).toContain(path.dirname(cfg));
    expect(bytes().toString()).toBe(OTHER);
    expect(fs.readdirSync(path.dirname(cfg))).toEqual(['config']);
    expect(fs.existsSync(state)).toBe(false);
  });

  const broken: Record<string, string> = {
    duplicated: `${BEGIN_MARKER}\nMatch all\n${END_MARKER}\n${OTHER}${BEGIN_MARKER}\nMatch all\n${END_MARKER}\n`,
    unbalanced: `${OTHER}${BEGIN_MARKER}\nHost runcode.x\n`,
    'out of order': `${END_MARKER}\n${OTHER}${BEGIN_MARKER}\n`,
  };
  it.each(Object.entries(broken))('%s markers: refused, bytes unchanged, no backup', async (_n, text) => {
    writeCfg(text);
    const st = fs.statSync(cfg);
    const f = file();
    expect(await rejects(f.apply([entry('api')]))).toBe('config_markers');
    expect(await rejects(f.remove())).toBe('config_markers');
    expect(await rejects(f.read())).toBe('config_markers');
    expect(await rejects(f.preview([entry('api')]))).toBe('config_markers');
    expect(bytes().toString()).toBe(text);
    expect(fs.statSync(cfg).mtimeMs).toBe(st.mtimeMs);
    expect(fs.readdirSync(path.dirname(cfg))).toEqual(['config']);
  });

  it('a block edited inside by hand: read refuses, apply replaces it, remove removes it', async () => {
    writeCfg(OTHER);
    const f = file();
    await f.apply([entry('a')]);
    const edited = bytes()
      .toString()
      .replace('  UpdateHostKeys no\n', '  UpdateHostKeys no\n  ProxyCommand evil\n');
    fs.writeFileSync(cfg, edited);
    expect(await rejects(f.read())).toBe('config_markers');
    expect(await rejects(f.update((cur) => cur))).toBe('config_markers');
    expect(bytes().toString()).toBe(edited);
    await f.apply([entry('b')]);
    expect(await f.read()).toEqual([entry('b')]);
    fs.writeFileSync(
      cfg,
      bytes().toString().replace('  UpdateHostKeys no\n', '  UpdateHostKeys no\n  ProxyCommand evil\n'),
    );
    await f.remove();
    expect(bytes().toString()).toBe(OTHER);
  });

  it('hostile entries are refused before anything is touched', async () => {
    writeCfg(OTHER);
    const f = file();
    for (const bad of [
      entry('x\nProxyCommand sh'),
      entry('ok', { hostName: 'a\n  ProxyCommand sh' }),
      entry('ok', { port: 70000 }),
      entry('ok', { user: '-oProxyCommand=sh' }),
      entry('ok', { identityFile: '/a"\nProxyCommand sh' }),
      entry('ok', { knownHostsFile: '/dev/${HOME}' }),
      entry('ok', { hostKeyAlias: 'evil' }),
    ]) {
      expect(await rejects(f.apply([bad]))).toBe('invalid_argument');
    }
    expect(bytes().toString()).toBe(OTHER);
    expect(fs.readdirSync(path.dirname(cfg))).toEqual(['config']);
  });

  it('preview shows a unified diff and writes nothing', async () => {
    writeCfg(OTHER);
    const p = await file().preview([entry('api')]);
    expect(p.before).toBe(OTHER);
    expect(p.diff).toContain(`--- ${cfg}\n`);
    expect(p.diff).toMatch(/^@@ -1,3 \+1,\d+ @@$/m);
    expect(p.diff).toContain('\n+Host runcode.api\n');
    expect(p.diff).toContain('\n+  IdentityFile "');
    expect(p.diff).toContain('\n Host otherhost\n');
    expect(bytes().toString()).toBe(OTHER);
    expect((await file().preview([])).diff).toBe('');
  });

  it('defaults to $RUNCODE_SSH_CONFIG, else ~/.ssh/config', () => {
    expect(defaultSshConfigPath({ RUNCODE_SSH_CONFIG: '/x/y' })).toBe('/x/y');
    expect(defaultSshConfigPath({})).toBe(path.join(os.homedir(), '.ssh', 'config'));
  });
});
