// File transfer through the gateway with real tools: scp (SFTP and legacy modes), sftp batch
// mode, rsync over `ssh -F`, and git clone/push of a bare repository in the workspace.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../core/testing/requireTool.js';
import { startGatewayFixture } from './testing/gatewayFixture.js';
import type { GatewayFixture } from './testing/gatewayFixture.js';
import { runProcess } from './testing/runProcess.js';
import type { RunOptions } from './testing/runProcess.js';

let f: GatewayFixture;
let local: string;
beforeAll(async () => {
  f = await startGatewayFixture();
  local = path.join(f.root, 'local');
  fs.mkdirSync(local);
});
afterAll(async () => {
  await f?.close();
});

async function ok(cmd: string, args: string[], o: RunOptions = {}): Promise<string> {
  const r = await runProcess(cmd, args, { cwd: local, ...o });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

function randomFile(file: string, bytes: number): Buffer {
  const data = crypto.randomBytes(bytes);
  fs.writeFileSync(file, data);
  return data;
}

describe('gateway file transfer', () => {
  it.each([
    ['scp (SFTP protocol)', []],
    ['scp -O (legacy scp protocol)', ['-O']],
  ])('%s both ways', async (_name, flags: string[]) => {
    if (!flags.length) requireTool('sftp-server');
    const tag = flags.length ? 'legacy' : 'sftp';
    const data = randomFile(path.join(local, `up-${tag}.bin`), 300_000);
    await ok('scp', [
      '-F',
      f.client.configFile,
      ...flags,
      `up-${tag}.bin`,
      `${f.client.host}:scp-${tag}.bin`,
    ]);
    expect(fs.readFileSync(path.join(f.alphaDir, `scp-${tag}.bin`)).equals(data)).toBe(true);
    await ok('scp', [
      '-F',
      f.client.configFile,
      ...flags,
      `${f.client.host}:scp-${tag}.bin`,
      `down-${tag}.bin`,
    ]);
    expect(fs.readFileSync(path.join(local, `down-${tag}.bin`)).equals(data)).toBe(true);
  });

  it('sftp -b both ways', async () => {
    requireTool('sftp-server');
    const data = randomFile(path.join(local, 'sftp-up.bin'), 200_000);
    const batch = path.join(local, 'batch');
    fs.writeFileSync(batch, 'mkdir sub\nput sftp-up.bin sub/in.bin\nget sub/in.bin sftp-down.bin\nls sub\n');
    const out = await ok('sftp', ['-F', f.client.configFile, '-b', batch, f.client.host]);
    expect(out).toContain('in.bin');
    expect(fs.readFileSync(path.join(f.alphaDir, 'sub', 'in.bin')).equals(data)).toBe(true);
    expect(fs.readFileSync(path.join(local, 'sftp-down.bin')).equals(data)).toBe(true);
  });

  it('rsync -e "ssh -F cfg" both ways', async () => {
    requireTool('rsync');
    const src = path.join(local, 'tree');
    fs.mkdirSync(path.join(src, 'a', 'b'), { recursive: true });
    const one = randomFile(path.join(src, 'one.bin'), 100_000);
    fs.writeFileSync(path.join(src, 'a', 'b', 'two.txt'), 'two\n');
    await ok('rsync', ['-a', '-e', f.client.sshCommand, 'tree/', `${f.client.host}:synced/`]);
    expect(fs.readFileSync(path.join(f.alphaDir, 'synced', 'one.bin')).equals(one)).toBe(true);
    expect(fs.readFileSync(path.join(f.alphaDir, 'synced', 'a', 'b', 'two.txt'), 'utf8')).toBe('two\n');
    fs.writeFileSync(path.join(f.alphaDir, 'synced', 'remote.txt'), 'made remotely\n');
    await ok('rsync', ['-a', '-e', f.client.sshCommand, `${f.client.host}:synced/`, 'back/']);
    expect(fs.readFileSync(path.join(local, 'back', 'remote.txt'), 'utf8')).toBe('made remotely\n');
    expect(fs.readFileSync(path.join(local, 'back', 'one.bin')).equals(one)).toBe(true);
  });

  it('git clone and git push of a bare repo in the workspace', async () => {
    const home = path.join(f.root, 'git-home');
    fs.mkdirSync(home);
    const env = {
      ...process.env,
      HOME: home,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_SSH_COMMAND: f.client.sshCommand,
      GIT_AUTHOR_NAME: 'T',
      GIT_AUTHOR_EMAIL: 't@example.invalid',
      GIT_COMMITTER_NAME: 'T',
      GIT_COMMITTER_EMAIL: 't@example.invalid',
    };
    await ok('git', ['init', '-q', '--bare', '-b', 'main', path.join(f.alphaDir, 'repo.git')], { env });
    await ok('git', ['clone', '-q', `${f.client.host}:repo.git`, 'clone'], { env });
    const clone = path.join(local, 'clone');
    fs.writeFileSync(path.join(clone, 'README'), 'hello\n');
    await ok('git', ['checkout', '-q', '-b', 'main'], { env, cwd: clone });
    await ok('git', ['add', 'README'], { env, cwd: clone });
    await ok('git', ['commit', '-q', '-m', 'first'], { env, cwd: clone });
    await ok('git', ['push', '-q', 'origin', 'main'], { env, cwd: clone });
    const log = await ok(
      'git',
      ['--git-dir', path.join(f.alphaDir, 'repo.git'), 'log', '--format=%s', 'main'],
      { env },
    );
    expect(log).toBe('first\n');
    await ok('git', ['clone', '-q', `${f.client.host}:repo.git`, 'clone2'], { env });
    expect(fs.readFileSync(path.join(local, 'clone2', 'README'), 'utf8')).toBe('hello\n');
  });
});
