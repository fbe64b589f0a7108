import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyFileName } from '../core/keys/keyFileName.js';
import { FAST_PATH_MIN_LEFT_MS, freshTarget, onlyConnected, withFreshSsh } from './freshTarget.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const HOST_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

// The record's own key: keys are named by their public half (keys/NAME.<id>).
const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILaBhwx/4mRaRm1Y07/MXRXkdMW0uP/Bdj4mu1JK4eiE';
const keyFile = () => path.join(dir, 'keys', keyFileName('api', PUBLIC_KEY));

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-fresh-'));
  fs.mkdirSync(path.join(dir, 'keys'));
  fs.writeFileSync(keyFile(), 'PRIVATE KEY PEM');
  // A key of another name (a legacy one, or another connect's) is never the one used.
  fs.writeFileSync(path.join(dir, 'keys', 'api'), 'LEGACY KEY PEM');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function record(over: Record<string, unknown> = {}, passOver: Record<string, unknown> = {}) {
  return {
    name: 'api',
    workspaceId: 'w1',
    publicKey: PUBLIC_KEY,
    pass: {
      user: 'ws-api',
      gateway: { host: '127.0.0.1', port: 2222 },
      hostKeys: [HOST_KEY],
      expiresAt: new Date(NOW + 30 * 60_000).toISOString(),
      workdir: '/w',
      ...passOver,
    },
    ...over,
  };
}
const write = (connections: unknown[], version: unknown = 1) =>
  fs.writeFileSync(path.join(dir, 'connections.json'), JSON.stringify({ version, connections }));

describe('freshTarget', () => {
  it('builds the target from the record and the key when the pass is fresh', async () => {
    write([record()]);
    expect(await freshTarget(dir, 'api', NOW)).toEqual({
      host: '127.0.0.1',
      port: 2222,
      user: 'ws-api',
      privateKey: 'PRIVATE KEY PEM',
      hostKeys: [HOST_KEY],
    });
  });

  it('leaves to the full path: a pass near its end, a malformed record, a missing key or file', async () => {
    write([record({}, { expiresAt: new Date(NOW + FAST_PATH_MIN_LEFT_MS - 1).toISOString() })]);
    expect(await freshTarget(dir, 'api', NOW)).toBeUndefined();
    for (const bad of [
      { user: '-oProxyCommand=x' },
      { gateway: { host: '-oProxyCommand=x', port: 22 } },
      { gateway: { host: '127.0.0.1', port: 70000 } },
      { hostKeys: [] },
      { hostKeys: ['ssh-rsa AAAA'] },
      { expiresAt: 'soon' },
    ]) {
      write([record({}, bad)]);
      expect(await freshTarget(dir, 'api', NOW)).toBeUndefined();
    }
    write([record()], 2);
    expect(await freshTarget(dir, 'api', NOW)).toBeUndefined();
    write([record()]);
    expect(await freshTarget(dir, 'web', NOW)).toBeUndefined();
    expect(await freshTarget(dir, '../api', NOW)).toBeUndefined();
    write([record({ publicKey: 'ssh-ed25519 nope' })]);
    expect(await freshTarget(dir, 'api', NOW)).toBeUndefined();
    write([record()]);
    fs.rmSync(keyFile());
    expect(await freshTarget(dir, 'api', NOW)).toBeUndefined();
    fs.writeFileSync(path.join(dir, 'connections.json'), '{not json');
    expect(await freshTarget(dir, 'api', NOW)).toBeUndefined();
  });

  it('names the only connected workspace, and none when there are several', async () => {
    write([record()]);
    expect(await onlyConnected(dir)).toBe('api');
    write([record(), record({ name: 'web' })]);
    expect(await onlyConnected(dir)).toBeUndefined();
  });

  it('does not run the function when there is no fresh record', async () => {
    write([]);
    let ran = false;
    expect(await withFreshSsh(dir, 'api', async () => (ran = true))).toEqual({ ran: false });
    expect(ran).toBe(false);
  });
});
