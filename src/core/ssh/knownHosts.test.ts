import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRuncodeError } from '../errors.js';
import { KnownHosts } from './knownHosts.js';
import { generateEd25519KeyPair } from './opensshKey.js';

let state: string;
beforeEach(() => {
  state = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-kh-'));
});
afterEach(() => fs.rmSync(state, { recursive: true, force: true }));

const hostKey = (): string => generateEd25519KeyPair('gateway').publicKey;
const canonical = (line: string): string => line.split(' ').slice(0, 2).join(' ');
const keygenF = (alias: string, file: string): { status: number | null; out: string } => {
  const r = spawnSync('ssh-keygen', ['-F', alias, '-f', file], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout };
};
async function code(p: Promise<unknown>): Promise<string | undefined> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  return isRuncodeError(e) ? e.code : e === undefined ? undefined : `not a RuncodeError: ${String(e)}`;
}

describe('KnownHosts', () => {
  it('pins keys under an alias that ssh-keygen -F finds, 0600, comments dropped', async () => {
    const kh = new KnownHosts(path.join(state, 'nested'));
    const [k1, k2] = [hostKey(), hostKey()];
    await kh.pin('runcode-gateway', [k1, k2, k1]);
    expect(fs.statSync(kh.path).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(kh.path)).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(kh.path, 'utf8')).toBe(
      `runcode-gateway ${canonical(k1)}\nruncode-gateway ${canonical(k2)}\n`,
    );
    const found = keygenF('runcode-gateway', kh.path);
    expect(found.status).toBe(0);
    expect(found.out).toContain(canonical(k1));
    expect(found.out).toContain(canonical(k2));
    expect(keygenF('runcode-other', kh.path).status).not.toBe(0);
    expect(await kh.list('runcode-gateway')).toEqual([
      { alias: 'runcode-gateway', key: canonical(k1) },
      { alias: 'runcode-gateway', key: canonical(k2) },
    ]);
  });

  it('replaces one alias and leaves other lines byte for byte', async () => {
    const kh = new KnownHosts(state);
    const foreign =
      '# kept\nexample.com\tssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n';
    fs.writeFileSync(kh.path, foreign);
    const other = hostKey();
    await kh.pin('runcode-other.1', [other]);
    await kh.pin('runcode-gateway', [hostKey()]);
    const fresh = hostKey();
    await kh.pin('runcode-gateway', [fresh]);
    const text = fs.readFileSync(kh.path, 'utf8');
    expect(text.startsWith(foreign)).toBe(true);
    expect(text.slice(foreign.length)).toBe(
      `runcode-other.1 ${canonical(other)}\nruncode-gateway ${canonical(fresh)}\n`,
    );
    await kh.unpin('runcode-gateway');
    expect(fs.readFileSync(kh.path, 'utf8')).toBe(`${foreign}runcode-other.1 ${canonical(other)}\n`);
    expect(keygenF('runcode-gateway', kh.path).status).not.toBe(0);
  });

  it('removes the file when the last pin goes; unpin of nothing writes nothing', async () => {
    const kh = new KnownHosts(state);
    await kh.unpin('runcode-gateway');
    expect(fs.existsSync(kh.path)).toBe(false);
    await kh.pin('runcode-gateway', [hostKey()]);
    const st = fs.statSync(kh.path);
    await kh.unpin('runcode-none');
    expect(fs.statSync(kh.path).mtimeMs).toBe(st.mtimeMs);
    await kh.unpin('runcode-gateway');
    expect(fs.existsSync(kh.path)).toBe(false);
    expect(fs.readdirSync(state)).toEqual([]);
  });

  it('refuses hostile aliases and keys, leaving the file as it was', async () => {
    const kh = new KnownHosts(state);
    await kh.pin('runcode-gateway', [hostKey()]);
    const before = fs.readFileSync(kh.path);
    const good = hostKey();
    const aliases = [
      'gateway',
      'runcode-*',
      'runcode-a,evil.com',
      'runcode-a b',
      'runcode-a\nevil',
      '|1|x',
      'runcode-A',
      '',
    ];
    for (const a of aliases) expect(await code(kh.pin(a, [good]))).toBe('invalid_argument');
    for (const a of aliases) expect(await code(kh.unpin(a))).toBe('invalid_argument');
    const rsa = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7';
    const keys: unknown[][] = [
      [],
      [rsa],
      ['garbage'],
      [`${canonical(good)}\nevil.com ${canonical(good)}`],
      [`@cert-authority * ${canonical(good)}`],
      [good, 'x'],
      [42],
      Array.from({ length: 17 }, hostKey),
    ];
    for (const k of keys)
      expect(await code(kh.pin('runcode-gateway', k as string[]))).toBe('host_key_invalid');
    expect(fs.readFileSync(kh.path).equals(before)).toBe(true);
  });
});

describe('KnownHosts.ensurePinned (what ssh-keygen -F finds)', () => {
  it('leaves good pins alone, repairs torn, missing, stale and extra ones', async () => {
    const kh = new KnownHosts(state);
    const key = hostKey();
    const other = hostKey();
    expect(await kh.ensurePinned('runcode-gateway.api', [key])).toBe(true); // nothing yet
    expect(await kh.ensurePinned('runcode-gateway.api', [key])).toBe(false);
    const mtime = fs.statSync(kh.path).mtimeMs;
    expect(await kh.ensurePinned('runcode-gateway.api', [key])).toBe(false);
    expect(fs.statSync(kh.path).mtimeMs).toBe(mtime); // no write when right

    const good = fs.readFileSync(kh.path, 'utf8');
    fs.writeFileSync(kh.path, good.slice(0, 45)); // torn
    expect(await kh.ensurePinned('runcode-gateway.api', [key])).toBe(true);
    expect(keygenF('runcode-gateway.api', kh.path).out).toContain(canonical(key));

    await kh.pin('runcode-gateway.api', [other]); // stale
    expect(await kh.ensurePinned('runcode-gateway.api', [key])).toBe(true);
    fs.appendFileSync(kh.path, `runcode-gateway.api ${canonical(other)}\n`); // an extra one
    expect(await kh.ensurePinned('runcode-gateway.api', [key])).toBe(true);
    const found = keygenF('runcode-gateway.api', kh.path);
    expect(found.out).toContain(canonical(key));
    expect(found.out).not.toContain(canonical(other));
  });
});
