import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FirstLine, parseSandboxReady } from './sandboxReady.js';

const good = { endpoint: 'https://127.0.0.1:4443', caFile: '/tmp/x/ca.pem', gateway: '127.0.0.1:2222' };

describe('parseSandboxReady', () => {
  it('accepts the server ready line', () => {
    expect(parseSandboxReady(JSON.stringify(good))).toEqual(good);
    expect(parseSandboxReady(JSON.stringify({ ...good, endpoint: 'https://[::1]:1/' })).endpoint).toBe(
      'https://[::1]:1/',
    );
  });

  it('refuses anything but loopback https and an absolute CA path', () => {
    const bad = [
      'not json',
      'null',
      '"x"',
      JSON.stringify({ ...good, endpoint: 'http://127.0.0.1:1' }),
      JSON.stringify({ ...good, endpoint: 'https://evil.example' }),
      JSON.stringify({ ...good, endpoint: 'nonsense' }),
      JSON.stringify({ ...good, caFile: 'ca.pem' }),
      JSON.stringify({ ...good, gateway: 'evil.example:22' }),
      JSON.stringify({ ...good, gateway: 1 }),
    ];
    for (const line of bad)
      expect(() => parseSandboxReady(line), line).toThrow(/local demo server gave a bad ready line/);
  });
});

describe('FirstLine', () => {
  it('returns the first complete line once, across chunks', () => {
    const f = new FirstLine();
    expect(f.push('{"a":')).toBeUndefined();
    expect(f.push(Buffer.from('1}\n{"b":2}\n'))).toBe('{"a":1}');
    expect(f.push('more\n')).toBeUndefined();
  });

  it('gives up on a huge line', () => {
    expect(() => new FirstLine().push('x'.repeat(70_000))).toThrow(/no ready line/);
  });
});

describe('sandboxEntry (the process main forks)', () => {
  it('starts the server, prints a valid ready line, and exits 0 on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-sandbox-'));
    const entry = path.resolve(import.meta.dirname, 'sandboxEntry.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', entry, '--data', path.join(dir, 'sandbox')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const first = new FirstLine();
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          const l = first.push(d);
          if (l !== undefined) resolve(l);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      const ready = parseSandboxReady(line);
      expect(fs.existsSync(ready.caFile)).toBe(true);
      expect(ready.caFile.startsWith(path.join(dir, 'sandbox'))).toBe(true);
      const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a relative data dir', async () => {
    const entry = path.resolve(import.meta.dirname, 'sandboxEntry.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', entry, '--data', 'rel'], { stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--data must name an absolute directory/);
  });
});
