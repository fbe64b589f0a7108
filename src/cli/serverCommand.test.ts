// `runcode server` as a user runs it (bin/runcode over the built dist/, which `npm run build`
// makes before tests in CI): the ready line, protocol v1 conformance, clean shutdown, bad flags.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../server/testing/runProcess.js';
import { defaultDataDir } from './serverCommand.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'runcode');
const CONFORMANCE = path.resolve(ROOT, '../shared/conformance/protocol-v1.mjs');

const dirs: string[] = [];
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

interface Ready {
  endpoint: string;
  caFile: string;
  gateway: string;
}

/** Starts `runcode server`; resolves with its ready line, the child and its output so far. */
function startCli(
  args: string[],
): Promise<{ child: ChildProcessWithoutNullStreams; ready: Ready; out: () => string; err: () => string }> {
  const child = spawn(process.execPath, [BIN, 'server', ...args], { stdio: 'pipe' });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line in 15 s; stderr: ${err}`)), 15_000);
    child.on('exit', (code) => reject(new Error(`exited ${code} before ready; stderr: ${err}`)));
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve({ child, ready: JSON.parse(out.split('\n')[0]!) as Ready, out: () => out, err: () => err });
      }
    });
  });
}

const exited = (c: ChildProcessWithoutNullStreams) =>
  new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.on('exit', (code) => r(code))));

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'serverCommand.js'))) {
    throw new Error(
      'dist/ is not built: run `npm run build` (or `npx tsc -p tsconfig.build.json`) before this test',
    );
  }
});

describe('runcode server', () => {
  it('prints one JSON ready line, passes the protocol v1 conformance check, and exits 0 on SIGTERM', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode cli '));
    dirs.push(data);
    const { child, ready, out, err } = await startCli([
      '--data',
      data,
      '--auto-approve',
      '--boot-delay',
      '100',
    ]);
    expect(Object.keys(ready)).toEqual(['endpoint', 'caFile', 'gateway']);
    expect(ready.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.caFile).toBe(path.join(data, 'tls', 'ca.pem'));
    expect(ready.gateway).toMatch(/^127\.0\.0\.1:\d+$/);

    // Only the owner signs in: the secret beside the CA goes with every authorize request.
    const owner = fs.readFileSync(path.join(path.dirname(ready.caFile), 'owner-secret'), 'utf8').trim();
    const r = await runProcess(process.execPath, [CONFORMANCE, ready.endpoint, ready.caFile, 'check'], {
      timeoutMs: 30_000,
      env: { ...process.env, CONFORMANCE_AUTHORIZE_PARAMS: `owner=${owner}` },
    });
    expect(r.stdout).toContain('protocol v1 conformance: passed');
    expect(r.code).toBe(0);

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(out().trim().split('\n')).toHaveLength(1);
    expect(err()).toMatch(/not a sandbox/);
    expect(err()).toMatch(/SIGTERM: shutting down/);
  });

  it('exits 0 on SIGINT too, and comes back on the same data with the same CA', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-cli-'));
    dirs.push(data);
    const first = await startCli(['--data', data]);
    const ca = fs.readFileSync(first.ready.caFile, 'utf8');
    first.child.kill('SIGINT');
    expect(await exited(first.child)).toBe(0);
    expect(first.err()).toMatch(/SIGINT: shutting down/);
    const second = await startCli(['--data', data]);
    expect(fs.readFileSync(second.ready.caFile, 'utf8')).toBe(ca);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  });

  it('bad flags: usage on stderr, exit 2', async () => {
    const cases = [
      ['--port', 'abc'],
      ['--port', '70000'],
      ['--pass-ttl', '0'],
      ['--boot-delay', '-5'],
      ['--bogus'],
      ['extra-positional'],
      ['--data'],
    ];
    const results = await Promise.all(
      cases.map((args) => runProcess(process.execPath, [BIN, 'server', ...args])),
    );
    for (const [i, r] of results.entries()) {
      expect({ args: cases[i], code: r.code, stdout: r.stdout }).toEqual({
        args: cases[i],
        code: 2,
        stdout: '',
      });
      expect(r.stderr).toMatch(/usage: runcode server/);
    }
  });

  it('refuses to start on a port already in use: one line on stderr, exit 1', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-cli-'));
    dirs.push(data);
    const first = await startCli(['--data', data]);
    const port = new URL(first.ready.endpoint).port;
    const r = await runProcess(process.execPath, [BIN, 'server', '--data', data, '--port', port]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already in use/);
    first.child.kill('SIGTERM');
    await exited(first.child);
  });

  it('defaults the data dir to $RUNCODE_HOME/server', () => {
    expect(defaultDataDir({ RUNCODE_HOME: '/x/y' })).toBe('/x/y/server');
    expect(defaultDataDir({})).toMatch(/runcode[/\\]server$/);
  });
});
