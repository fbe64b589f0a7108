// Faults around the ssh config writer: a user appending to ~/.ssh/config while RunCode writes
// (nothing may be lost, LF or CRLF), a config that cannot be written (preflight tells the truth
// and nothing changes), and a write whose pins do not hold in the real `ssh -G` (restored).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostEntry } from './hostEntry.js';
import { SshConfigFile } from './sshConfigFile.js';
import { parseSshG, pinViolations } from './sshEffectiveConfig.js';
import { testHostEntry } from '../testing/hostEntry.js';
import { refusalInfo } from '../testing/refusal.js';
import { makeTempDir } from '../testing/tempDir.js';

let home: string;
let state: string;
let cfg: string;
beforeEach(() => {
  home = makeTempDir('runcode-cfgfault-');
  state = path.join(home, 'state');
  cfg = path.join(home, '.ssh', 'config');
  fs.mkdirSync(path.dirname(cfg), { mode: 0o700 });
});
afterEach(() => {
  spawnSync('chattr', ['-i', cfg, path.dirname(cfg)], { stdio: 'ignore' });
  for (const p of [path.dirname(cfg), cfg]) if (fs.existsSync(p)) fs.chmodSync(p, 0o700);
  fs.rmSync(home, { recursive: true, force: true });
});

const entry = (name: string): HostEntry => testHostEntry(name, state);

describe('no lost update: a user appends while RunCode writes', () => {
  // Appends one stanza at a time (open, append, close, as `cat >> ~/.ssh/config` does), in
  // bursts, at least 3,000, then until told to stop; prints how many it appended.
  const APPENDER = `
    const fs = require('node:fs');
    const [file, stop, eol] = process.argv.slice(1);
    const pause = new Int32Array(new SharedArrayBuffer(4));
    let i = 0;
    for (; i < 20000 && !(i >= 3000 && i % 10 === 0 && fs.existsSync(stop)); i++) {
      fs.appendFileSync(file, 'Host user-' + i + eol + '  User me' + eol);
      if (i % 10 === 0) Atomics.wait(pause, 0, 0, 1);
    }
    process.stdout.write(String(i));
  `;
  // With ssh -G on, appends that reach the replaced file while it judges the write are held
  // back until its verdict, then handed on.
  it.each([
    ['LF', '\n', false],
    ['CRLF', '\r\n', false],
    ['LF, each write checked with ssh -G', '\n', true],
  ])('%s: every stanza appended during (at least) 60 writes survives', async (name, eol, verify) => {
    const WRITES = 60;
    fs.writeFileSync(cfg, `Host first${eol}  User me${eol}`);
    const stop = path.join(home, 'stop');
    const f = new SshConfigFile({ path: cfg, stateDir: state, ...(verify ? {} : { verify: false }) });
    const child = spawn(process.execPath, ['-e', APPENDER, cfg, stop, eol], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    let running = true;
    const exited = new Promise<number | null>((resolve) =>
      child.on('close', (code) => {
        running = false;
        resolve(code);
      }),
    );
    let writes = 0;
    try {
      // Start once the appender is appending; write until it is done.
      while (fs.statSync(cfg).size < 2_000) await new Promise((r) => setImmediate(r));
      for (; writes < WRITES || running; writes++) {
        if (writes === WRITES) fs.writeFileSync(stop, '');
        await f.apply(writes % 2 ? [entry('a')] : [entry('a'), entry('b')]);
      }
    } finally {
      fs.writeFileSync(stop, '');
    }
    expect(await exited).toBe(0);
    const appended = Number(out);
    await f.apply([entry('a')]);
    const text = fs.readFileSync(cfg, 'latin1');
    const hosts = [...text.matchAll(/^Host user-(\d+)\r?$/gm)].map((m) => Number(m[1]));
    const missing = Array.from({ length: appended }, (_, i) => i).filter((i) => !hosts.includes(i));
    expect(missing).toEqual([]);
    expect(hosts).toHaveLength(appended);
    expect(appended).toBeGreaterThanOrEqual(3_000);
    if (eol === '\r\n') expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(await f.read()).toEqual([entry('a')]);
    console.warn(`appender ${name}: ${appended} stanzas appended during ${writes} writes, none lost`);
  });
});

describe('check before act: preflight', () => {
  const OTHER = 'Host mine\n  User me\n';
  const unchangedAfter = async (why: RegExp, code = 'config_not_writable'): Promise<void> => {
    const f = new SshConfigFile({ path: cfg, stateDir: state });
    const pre = await refusalInfo(f.preflight());
    expect(pre.code).toBe(code);
    expect(pre.message).toMatch(why);
    const write = await refusalInfo(f.apply([entry('a')]));
    expect(write.code).toBe(code);
    expect(fs.readFileSync(cfg, 'utf8')).toBe(OTHER);
    expect(fs.existsSync(state)).toBe(false);
  };

  it('a writable config passes and nothing is written', async () => {
    fs.writeFileSync(cfg, OTHER);
    await new SshConfigFile({ path: cfg, stateDir: state }).preflight();
    expect(fs.readdirSync(path.dirname(cfg))).toEqual(['config']);
    // A missing ~/.ssh is fine: the first write creates it.
    await new SshConfigFile({ path: path.join(home, 'none', 'config'), stateDir: state }).preflight();
  });

  it('a read-only mode is named as such', async () => {
    fs.writeFileSync(cfg, OTHER, { mode: 0o444 });
    fs.chmodSync(cfg, 0o444);
    await unchangedAfter(/not writable \(mode 0444\)/);
  });

  it('broken markers fail preflight with config_markers', async () => {
    fs.writeFileSync(cfg, `${OTHER}# ---- BEGIN RUNCODE\n`);
    const pre = await refusalInfo(new SshConfigFile({ path: cfg, stateDir: state }).preflight());
    expect(pre.code).toBe('config_markers');
  });

  const immutable = (p: string): string | undefined => {
    if (process.platform !== 'linux') return 'not Linux';
    const r = spawnSync('chattr', ['+i', p], { encoding: 'utf8' });
    return r.status === 0 ? undefined : `chattr +i failed (${r.stderr.trim() || r.error?.message})`;
  };

  it('an immutable file (chattr +i) is named as immutable, not blamed on the mode', async (ctx) => {
    fs.writeFileSync(cfg, OTHER, { mode: 0o600 });
    const skip = immutable(cfg);
    if (skip) {
      ctx.skip(`immutable-file test: ${skip}`);
    }
    await unchangedAfter(/marked immutable/);
  });

  it('an immutable ~/.ssh directory is named too', async (ctx) => {
    fs.writeFileSync(cfg, OTHER, { mode: 0o600 });
    const skip = immutable(path.dirname(cfg));
    if (skip) {
      ctx.skip(`immutable-directory test: ${skip}`);
    }
    await unchangedAfter(/directory .* (marked immutable|not writable)/);
  });
});

describe('after every write, ssh -G must show our pins', () => {
  it('a pin that does not hold (ssh forwards the agent anyway) restores the previous bytes', async () => {
    const original = 'Host mine\n  User me\n';
    fs.writeFileSync(cfg, original);
    // The real OpenSSH, with a command-line option that overrides any config: what an older or
    // patched client that ignored a pin would do.
    const wrapper = path.join(home, 'ssh-forwarding-agent');
    fs.writeFileSync(wrapper, '#!/bin/sh\nexec ssh -o ForwardAgent=yes "$@"\n', { mode: 0o755 });
    const f = new SshConfigFile({ path: cfg, stateDir: state, verify: { ssh: wrapper } });
    const e = await refusalInfo(f.apply([entry('a')]));
    expect(e.code).toBe('config_pin_failed');
    expect(e.message).toContain('runcode.a would not use RunCode');
    expect(e.message).toContain('ForwardAgent is yes, not no');
    expect(fs.readFileSync(cfg, 'utf8')).toBe(original);
  });

  it("a config ssh cannot read after the write is restored, naming ssh's complaint", async () => {
    const original = 'Host mine\n  NoSuchKeyword yes\n';
    fs.writeFileSync(cfg, original);
    const f = new SshConfigFile({ path: cfg, stateDir: state });
    const e = await refusalInfo(f.apply([entry('a')]));
    expect(e.code).toBe('config_pin_failed');
    expect(e.message).toMatch(/ssh -G runcode\.a failed: .*NoSuchKeyword/i);
    expect(fs.readFileSync(cfg, 'utf8')).toBe(original);
  });

  it('no ssh binary: the write goes through and the reason is told once', async () => {
    const told: string[] = [];
    const f = new SshConfigFile({
      path: cfg,
      stateDir: state,
      verify: { ssh: path.join(home, 'no-such-ssh'), onSkip: (m) => told.push(m) },
    });
    await f.apply([entry('a')]);
    await f.apply([entry('a'), entry('b')]);
    expect(await f.read()).toEqual([entry('a'), entry('b')]);
    expect(told.length).toBeLessThanOrEqual(1); // once per process (another test may have been first)
  });
});

describe('ssh -G is asked again only when its verdict could differ', () => {
  it('our own file: not for a write around the same bytes; again once the text around the block changes or reads other files; the user file: every write', async () => {
    // The real OpenSSH behind a wrapper that counts its runs.
    const log = path.join(home, 'ssh-runs');
    const counting = path.join(home, 'ssh-counting');
    fs.writeFileSync(counting, `#!/bin/sh\necho run >> '${log}'\nexec ssh "$@"\n`, { mode: 0o755 });
    const runs = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').length - 1 : 0);
    const f = SshConfigFile.own(state, { verify: { ssh: counting } });
    await f.apply([entry('a')]);
    const first = runs();
    expect(first).toBeGreaterThanOrEqual(1);
    await f.apply([entry('a'), entry('b')]);
    await f.update((cur) => cur.map((e) => ({ ...e, port: 2223 })));
    expect(runs()).toBe(first);
    // Someone else's text in it: asked again, then not for the next write around it.
    fs.appendFileSync(f.path, 'Host theirs\n  User you\n');
    await f.apply([entry('a'), entry('b'), entry('c')]);
    const second = runs();
    expect(second).toBeGreaterThan(first);
    await f.apply([entry('a'), entry('c')]);
    await f.apply([entry('a'), entry('c'), entry('d')]);
    expect(runs()).toBe(second);
    // An Include reads a file that can change while this one does not: every write is asked.
    fs.appendFileSync(f.path, 'Include conf.d/*\n');
    await f.apply([entry('e')]);
    const third = runs();
    expect(third).toBeGreaterThan(second);
    await f.apply([entry('e'), entry('f')]);
    expect(runs()).toBeGreaterThan(third);
    expect(await f.read()).toEqual([entry('e'), entry('f')]);
    // The user's file: every write that changes a host is asked.
    fs.writeFileSync(cfg, 'Host mine\n  User me\n');
    const user = new SshConfigFile({ path: cfg, stateDir: state, verify: { ssh: counting } });
    await user.apply([entry('a')]);
    const fourth = runs();
    await user.apply([entry('a'), entry('b')]);
    expect(runs()).toBeGreaterThan(fourth);
  });
});

describe('an OpenSSH that does not know a pin (before 8.5: KnownHostsCommand)', () => {
  it('the pin is left out, so the file still reads; every other pin holds', async () => {
    // Real OpenSSH behind a wrapper that refuses the keyword as OpenSSH 8.2-8.4 does: one unknown
    // keyword anywhere makes ssh refuse the whole file, for every host.
    const old = path.join(home, 'ssh-8.4');
    fs.writeFileSync(
      old,
      '#!/bin/sh\nprev=; for a in "$@"; do [ "$prev" = -F ] && f=$a; prev=$a; done\n' +
        'if [ -n "$f" ] && grep -qi "^ *KnownHostsCommand" "$f"; then\n' +
        '  echo "$f: line 2: Bad configuration option: knownhostscommand" >&2; exit 255; fi\n' +
        'exec ssh "$@"\n',
      { mode: 0o755 },
    );
    fs.writeFileSync(cfg, 'Host mine\n  User me\n');
    const f = new SshConfigFile({ path: cfg, stateDir: state, verify: { ssh: old } });
    await f.apply([entry('a')]);
    const text = fs.readFileSync(cfg, 'utf8');
    expect(text).not.toContain('KnownHostsCommand');
    expect(text).toContain('  ProxyCommand none\n');
    const g = spawnSync(old, ['-F', cfg, '-G', 'runcode.a'], { encoding: 'utf8' });
    expect(g.status, g.stderr).toBe(0);
    expect(pinViolations(entry('a'), parseSshG(g.stdout), new Set(['KnownHostsCommand']))).toEqual([]);
    // With the real (9.x) client the pin is written.
    await new SshConfigFile({ path: cfg, stateDir: state }).apply([entry('a'), entry('b')]);
    expect(fs.readFileSync(cfg, 'utf8')).toContain('  KnownHostsCommand none\n');
  });
});

describe('our own ssh config', () => {
  it('is 0600, has a header, holds the hosts, resolves with ssh -F, and stays when empty', async () => {
    const own = SshConfigFile.own(state);
    expect(own.path).toBe(path.join(state, 'ssh_config'));
    fs.mkdirSync(state, { mode: 0o700 });
    await own.apply([entry('a'), entry('b')]);
    expect(fs.statSync(own.path).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(own.path, 'utf8');
    expect(text.startsWith("# RunCode's own ssh config")).toBe(true);
    expect(await own.read()).toEqual([entry('a'), entry('b')]);
    const g = spawnSync('ssh', ['-G', '-F', own.path, 'runcode.b'], { encoding: 'utf8' });
    expect(g.status, g.stderr).toBe(0);
    expect(pinViolations(entry('b'), parseSshG(g.stdout))).toEqual([]);
    fs.chmodSync(own.path, 0o644);
    await own.apply([entry('a')]);
    expect(fs.statSync(own.path).mode & 0o777).toBe(0o600);
    await own.remove();
    expect(await own.read()).toEqual([]);
    expect(fs.readFileSync(own.path, 'utf8').startsWith('# RunCode')).toBe(true);
    expect(fs.readdirSync(state).sort()).toEqual(['ssh_config']); // no backup, no origin record
  });
});
