// SshConfigFile with writers in other processes: an unprivileged user, two concurrent writers, and
// a writer killed between its temp write and the rename.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OTHER_USER, otherUserSkipReason, runAsOtherUser } from '../testing/asOtherUser.js';
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
import { runProcess } from '../../server/testing/runProcess.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const MODULE_URL = pathToFileURL(path.join(ROOT, 'src/core/ssh/sshConfigFile.ts')).href;

useSshConfigHome();

interface ChildResult {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}
async function runChild(code: string, args: string[]): Promise<ChildResult> {
  const r = await runProcess(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', code, ...args],
    {
      cwd: ROOT,
      timeoutMs: 120_000,
    },
  );
  return { status: r.code, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('SshConfigFile across processes', () => {
  const skip = otherUserSkipReason();
  it('an unprivileged user who may not write the file or its directory gets config_not_writable', async (ctx) => {
    if (skip) ctx.skip(`an unprivileged user ... config_not_writable: ${skip}`);
    // Root may write anything, so the writer runs as \`nobody\` (as a user would run it).
    writeCfg(OTHER, 0o644);
    fs.chmodSync(home, 0o755);
    fs.chmodSync(path.dirname(cfg), 0o755);
    fs.chownSync(cfg, OTHER_USER.uid, OTHER_USER.gid); // their file, in a directory they may not write
    const source = `
      import { SshConfigFile } from ${JSON.stringify(path.join(ROOT, 'src/core/ssh/sshConfigFile.ts'))};
      const [cfg, state] = process.argv.slice(2);
      const e = { name: 'api', hostName: '127.0.0.1', port: 2222, user: 'u', identityFile: '/k/api',
        knownHostsFile: '/k/known_hosts', hostKeyAlias: 'runcode-gateway' };
      try { await new SshConfigFile({ path: cfg, stateDir: state }).apply([e]); console.log('written'); }
      catch (err) { console.log(err.code + ': ' + err.message); }`;
    const r = await runAsOtherUser({ source, args: [cfg, path.join(os.tmpdir(), 'runcode-nobody-state')] });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^config_not_writable: .*not writable \(mode 0755\).*nothing was changed/);
    expect(bytes().toString()).toBe(OTHER);
    expect(fs.readdirSync(path.dirname(cfg))).toEqual(['config']);
  });

  it('two concurrent writer processes lose no entries', async () => {
    writeCfg(OTHER);
    const code = `
      const { SshConfigFile } = await import(${JSON.stringify(MODULE_URL)});
      const [cfg, state, prefix, n] = process.argv.slice(1);
      const f = new SshConfigFile({ path: cfg, stateDir: state });
      for (let i = 0; i < Number(n); i++) {
        await f.update((cur) => [...cur, { name: prefix + '-' + i, hostName: '127.0.0.1', port: 2222,
          user: 'u', identityFile: state + '/keys/' + prefix + '-' + i, knownHostsFile: state + '/known_hosts',
          hostKeyAlias: 'runcode-gateway' }]);
      }`;
    const N = 30;
    const results = await Promise.all(['a', 'b'].map((p) => runChild(code, [cfg, state, p, String(N)])));
    for (const r of results) expect(r.status, r.stderr).toBe(0);
    const names = (await file().read()).map((e) => e.name);
    expect(names).toHaveLength(2 * N);
    expect(new Set(names).size).toBe(2 * N);
    expect(bytes().toString().endsWith(`\n${OTHER}`)).toBe(true);
    await file().remove();
    expect(bytes().toString()).toBe(OTHER);
  });

  it('a crash between temp write and rename leaves the original intact; the next writer recovers', async () => {
    writeCfg(OTHER);
    await file().apply([entry('a')]);
    const before = bytes();
    const code = `
      const { SshConfigFile } = await import(${JSON.stringify(MODULE_URL)});
      const [cfg, state] = process.argv.slice(1);
      const f = new SshConfigFile({ path: cfg, stateDir: state,
        beforeRename: () => { process.kill(process.pid, 'SIGKILL'); return new Promise(() => {}); } });
      await f.update((cur) => [...cur, { ...cur[0], name: 'b' }]);`;
    const r = await runChild(code, [cfg, state]);
    expect(r.signal).toBe('SIGKILL');
    expect(bytes().equals(before)).toBe(true);
    const left = fs.readdirSync(path.dirname(cfg)).sort();
    expect(left.filter((n) => n.includes('.runcode-tmp-'))).toHaveLength(1);
    expect(left).toContain('config.runcode.lock'); // held by the dead process
    // The dead owner's lock is broken and its temp file swept; no stale bytes get in. The lock is
    // younger than staleMs (30 s) and outlives this timeout, so only seeing its owner dead frees it.
    await file({ lock: { timeoutMs: 20_000 } }).apply([entry('a'), entry('c')]);
    expect((await file().read()).map((e) => e.name)).toEqual(['a', 'c']);
    expect(fs.readdirSync(path.dirname(cfg)).sort()).toEqual(['config', 'config.runcode-backup']);
  });
});
