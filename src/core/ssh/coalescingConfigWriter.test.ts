import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRuncodeError } from '../errors.js';
import { CoalescingConfigWriter } from './coalescingConfigWriter.js';
import type { HostEntry } from './hostEntry.js';
import { SshConfigFile } from './sshConfigFile.js';
import { testHostEntry } from '../testing/hostEntry.js';
import { makeTempDir } from '../testing/tempDir.js';

let home: string;
let cfg: string;
beforeEach(() => {
  home = makeTempDir('runcode-coal-');
  cfg = path.join(home, '.ssh', 'config');
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const entry = (name: string): HostEntry =>
  testHostEntry(name, path.join(home, 'state'), { hostKeyAlias: 'runcode-gateway' });

/** A real SshConfigFile that counts how often it is asked to update. */
function countingFile(): { file: SshConfigFile; updates: () => number } {
  const file = new SshConfigFile({ path: cfg, stateDir: path.join(home, 'state') });
  let n = 0;
  const update = file.update.bind(file);
  file.update = (fn) => {
    n++;
    return update(fn);
  };
  return { file, updates: () => n };
}

describe('CoalescingConfigWriter', () => {
  it('100 workspaces changing at once cost one write, and every caller sees its result', async () => {
    const { file, updates } = countingFile();
    const w = new CoalescingConfigWriter(file, 20);
    const names = Array.from({ length: 100 }, (_, i) => `ws-${i}`);
    const results = await Promise.all(names.map((n) => w.upsert(entry(n))));
    expect(updates()).toBe(1);
    expect(w.writes).toBe(1);
    expect(results.every((r) => r.changed && r.path === cfg)).toBe(true);
    expect((await file.read()).map((e) => e.name).sort()).toEqual([...names].sort());
  });

  it('applies a batch in call order (upsert then remove) and keeps entries it was not told about', async () => {
    const { file, updates } = countingFile();
    await file.apply([entry('keep')]);
    const w = new CoalescingConfigWriter(file, 20);
    await Promise.all([w.upsert(entry('a')), w.upsert(entry('b')), w.remove('a'), w.remove('absent')]);
    expect(updates()).toBe(1);
    expect((await file.read()).map((e) => e.name)).toEqual(['b', 'keep']);
  });

  it('changes after a batch started form the next batch; flush writes now', async () => {
    const { file, updates } = countingFile();
    const w = new CoalescingConfigWriter(file, 10_000);
    const first = w.upsert(entry('a'));
    await w.flush();
    expect((await first).changed).toBe(true);
    const second = w.upsert(entry('b'));
    const third = w.upsert(entry('c'));
    await w.dispose();
    expect(await second).toEqual(await third);
    expect(updates()).toBe(2);
    expect((await file.read()).map((e) => e.name)).toEqual(['a', 'b', 'c']);
  });

  it('a hostile entry is refused alone; a failing write rejects its whole batch', async () => {
    const { file, updates } = countingFile();
    const w = new CoalescingConfigWriter(file, 10);
    const bad = w.upsert({ ...entry('x'), hostName: 'evil\n  ProxyCommand sh' });
    const good = w.upsert(entry('good'));
    const e = await bad.catch((err: unknown) => err);
    expect(isRuncodeError(e) && e.code).toBe('invalid_argument');
    expect((await good).changed).toBe(true);
    expect(updates()).toBe(1);
    // A corrupt config: the batch's callers all get the error; nothing written.
    fs.appendFileSync(cfg, '# ------------ END RUNCODE ------------\n');
    const before = fs.readFileSync(cfg);
    const errs = await Promise.all(
      [w.upsert(entry('p')), w.remove('good')].map((p) => p.catch((err: unknown) => err)),
    );
    for (const err of errs) expect(isRuncodeError(err) && err.code).toBe('config_markers');
    expect(fs.readFileSync(cfg).equals(before)).toBe(true);
  });
});

describe('CoalescingConfigWriter: our own file always, the user block when opted in', () => {
  const setup = () => {
    const state = path.join(home, 'state');
    fs.mkdirSync(state, { recursive: true, mode: 0o700 });
    const own = SshConfigFile.own(state);
    const user = new SshConfigFile({ path: cfg, stateDir: state });
    let optedIn = false;
    const w = new CoalescingConfigWriter(own, {
      windowMs: 5,
      userFile: user,
      userBlockEnabled: async () => optedIn,
    });
    return { own, user, w, optIn: (v: boolean) => (optedIn = v) };
  };
  const USER = 'Host mine\n  User me\n';

  it('without opt-in the user config is never touched', async () => {
    const { own, w } = setup();
    fs.mkdirSync(path.dirname(cfg), { recursive: true });
    fs.writeFileSync(cfg, USER);
    const r = await Promise.all([w.upsert(entry('a')), w.upsert(entry('b'))]);
    await w.remove('a');
    expect(r[0]!.user).toBeUndefined();
    expect(r[0]!.path).toBe(own.path);
    expect((await own.read()).map((e) => e.name)).toEqual(['b']);
    expect(fs.readFileSync(cfg, 'utf8')).toBe(USER);
    expect(fs.readdirSync(path.dirname(cfg))).toEqual(['config']);
    await w.preflight(); // the user's file is not even checked
  });

  it('config-ssh: the block mirrors every later change; --remove gives back the bytes', async () => {
    const { own, user, w, optIn } = setup();
    fs.mkdirSync(path.dirname(cfg), { recursive: true });
    fs.writeFileSync(cfg, USER);
    await w.upsert(entry('a'));
    optIn(true);
    await w.setUserBlock(); // from our own file
    expect((await user.read()).map((e) => e.name)).toEqual(['a']);
    const r = await w.upsert(entry('b'));
    expect(r.user?.changed).toBe(true);
    await w.remove('a');
    expect((await user.read()).map((e) => e.name)).toEqual(['b']);
    expect((await own.read()).map((e) => e.name)).toEqual(['b']);
    await w.removeUserBlock();
    optIn(false);
    expect(fs.readFileSync(cfg, 'utf8')).toBe(USER);
    await w.upsert(entry('c'));
    expect(fs.readFileSync(cfg, 'utf8')).toBe(USER);
    expect((await own.read()).map((e) => e.name)).toEqual(['b', 'c']);
  });

  it('replaceAll sets both while opted in; preflight checks the user file then', async () => {
    const { own, user, w, optIn } = setup();
    optIn(true);
    await w.replaceAll([entry('x'), entry('y')]);
    expect((await own.read()).map((e) => e.name)).toEqual(['x', 'y']);
    expect((await user.read()).map((e) => e.name)).toEqual(['x', 'y']);
    fs.chmodSync(cfg, 0o444);
    try {
      const err: unknown = await w.preflight().catch((e: unknown) => e);
      expect(isRuncodeError(err) && err.code).toBe('config_not_writable');
    } finally {
      fs.chmodSync(cfg, 0o600);
    }
  });
});
