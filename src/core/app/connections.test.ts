// Connections' write paths: connect writes its config entry at once (one person is waiting on it;
// the coalescing window is for many changes arriving together), and renewals in a refresh batch
// write connections.json once for the batch, not once per workspace.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../api/apiClient.js';
import { KeyStore } from '../keys/keyStore.js';
import { CoalescingConfigWriter } from '../ssh/coalescingConfigWriter.js';
import { KnownHosts } from '../ssh/knownHosts.js';
import { SshConfigFile } from '../ssh/sshConfigFile.js';
import { ConnectionStore } from '../state/connectionStore.js';
import { sampleSshPass, sampleWorkspace } from '../testing/wireSamples.js';
import { Connections } from './connections.js';

let root: string;
let sshConfig: string;
let store: ConnectionStore;
let config: CoalescingConfigWriter;
let connections: Connections;
let passes: number;
let revokes: number;
let deps: ConstructorParameters<typeof Connections>[0];

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-connections-'));
  const stateDir = path.join(root, 'state');
  sshConfig = path.join(root, 'home', '.ssh', 'config');
  fs.mkdirSync(path.dirname(sshConfig), { recursive: true });
  fs.mkdirSync(stateDir, { recursive: true });
  const configFile = new SshConfigFile({ path: sshConfig, stateDir });
  // A window far longer than the tests' timeout: waiting it out would fail them.
  config = new CoalescingConfigWriter(configFile, 600_000);
  store = new ConnectionStore(stateDir);
  passes = 0;
  revokes = 0;
  const api = {
    createSshPass: async () => {
      passes++;
      return sampleSshPass(new Date(Date.now() + passes * 1000));
    },
    revokeSshPass: async () => void revokes++,
  } as unknown as ApiClient;
  deps = {
    stateDir,
    preflight: () => configFile.read(),
    api: async () => api,
    keys: new KeyStore(stateDir),
    knownHosts: new KnownHosts(stateDir),
    config,
    store,
  };
  connections = new Connections(deps);
});

afterEach(async () => {
  await config.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Counts connections.json writes (each one is a rename over it: a new inode). */
function writesOf(file: string): () => number {
  const inodes = new Set<number>();
  const look = () => {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (st) inodes.add(st.ino);
  };
  look();
  const timer = setInterval(look, 1);
  return () => {
    clearInterval(timer);
    look();
    return inodes.size - 1;
  };
}

describe('Connections.connect', () => {
  it('writes the entry without waiting for the coalescing window', async () => {
    await connections.connect(sampleWorkspace({ id: 'ws-1', name: 'api' }));
    expect(fs.readFileSync(sshConfig, 'utf8')).toContain('Host runcode.api\n');
    expect(config.writes).toBe(1);
  });
});

describe('Connections.renew with deferWrite', () => {
  const names = ['a', 'b', 'c'];

  beforeEach(async () => {
    for (const n of names) await connections.connect(sampleWorkspace({ id: `ws-${n}`, name: n }));
  });

  it('writes connections.json once for the batch, and shows the renewals before that', async () => {
    const before = await store.all();
    const writes = writesOf(store.path);
    const renewed = await Promise.all(names.map((n) => connections.renew(n, { deferWrite: true })));
    // Not written yet, but this process already sees the new passes.
    expect(await store.all()).toEqual(before);
    expect((await connections.list()).map((r) => r.pass)).toEqual(renewed.map((r) => r.record.pass));
    expect((await connections.get('b'))?.pass).toEqual(renewed[1]!.record.pass);
    await connections.flushRenewals();
    expect(writes()).toBe(1);
    expect((await store.all()).map((r) => r.pass.expiresAt)).toEqual(
      renewed.map((r) => r.record.pass.expiresAt),
    );
    expect(renewed.every((r) => !r.entryChanged)).toBe(true);
  });

  it('does not bring back a workspace disconnected or reconnected during the batch', async () => {
    await connections.renew('a', { deferWrite: true });
    await connections.renew('b', { deferWrite: true });
    const c = await connections.renew('c', { deferWrite: true });
    await connections.disconnect('a', { revoke: false });
    // Reconnected elsewhere (another process): a new key for b.
    const b2 = await connections.connect(sampleWorkspace({ id: 'ws-b', name: 'b' }));
    await connections.flushRenewals();
    const after = await store.all();
    expect(after.map((r) => r.name)).toEqual(['b', 'c']);
    expect(after[0]).toEqual(b2);
    expect(after[1]!.pass).toEqual(c.record.pass);
  });

  it('writes nothing when nothing was deferred', async () => {
    const writes = writesOf(store.path);
    await connections.flushRenewals();
    await connections.renew('a');
    expect(writes()).toBe(1);
  });
});

describe('Connections.disconnectAll (sign-out) checks before it acts', () => {
  it('a broken marker in the config fails before any pass is revoked or any file removed', async () => {
    const rec = await connections.connect(sampleWorkspace({ id: 'ws-1', name: 'api' }));
    fs.appendFileSync(sshConfig, '# ------------ BEGIN RUNCODE (a stray copy) ------------\n');
    const e = await connections.disconnectAll().catch((err: unknown) => err);
    expect((e as { code?: string }).code).toBe('config_markers');
    expect((e as Error).message).toMatch(/nothing was changed/);
    expect(revokes).toBe(0);
    expect(await store.all()).toEqual([rec]);
  });

  it('a renewal of a key replaced meanwhile is revoked, not left to run', async () => {
    await connections.connect(sampleWorkspace({ id: 'ws-1', name: 'api' }));
    await connections.renew('api', { deferWrite: true });
    // Reconnected by another process (the CLI while the tray renews): its own Connections.
    await new Connections(deps).connect(sampleWorkspace({ id: 'ws-1', name: 'api' }));
    const before = revokes;
    expect(await connections.flushRenewals()).toEqual([]);
    expect(revokes).toBe(before + 1);
  });
});
