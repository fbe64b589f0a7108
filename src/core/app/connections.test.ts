// Connections.connect writes its config entry at once: one person is waiting on it, and the
// coalescing window (there to merge many renewals into one write) must not add to their wait.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../api/apiClient.js';
import { KeyStore } from '../keys/keyStore.js';
import { CoalescingConfigWriter } from '../ssh/coalescingConfigWriter.js';
import { KnownHosts } from '../ssh/knownHosts.js';
import { SshConfigFile } from '../ssh/sshConfigFile.js';
import { ConnectionStore } from '../state/connectionStore.js';
import { sampleSshPass, sampleWorkspace } from '../testing/wireSamples.js';
import { Connections } from './connections.js';

let root: string | undefined;
afterEach(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
  root = undefined;
});

describe('Connections.connect', () => {
  it('writes the entry without waiting for the coalescing window', async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-connections-'));
    const stateDir = path.join(root, 'state');
    const sshConfig = path.join(root, 'home', '.ssh', 'config');
    fs.mkdirSync(path.dirname(sshConfig), { recursive: true });
    fs.mkdirSync(stateDir, { recursive: true });
    const configFile = new SshConfigFile({ path: sshConfig, stateDir });
    // A window far longer than the test's timeout: waiting it out would fail the test.
    const config = new CoalescingConfigWriter(configFile, 600_000);
    const api = {
      createSshPass: async () => sampleSshPass(),
      revokeSshPass: async () => undefined,
    } as unknown as ApiClient;
    const connections = new Connections({
      api: async () => api,
      keys: new KeyStore(stateDir),
      knownHosts: new KnownHosts(stateDir),
      configFile,
      config,
      store: new ConnectionStore(stateDir),
    });
    const ws = sampleWorkspace({ id: 'ws-1', name: 'api' });
    try {
      const started = performance.now();
      await connections.connect(ws);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(fs.readFileSync(sshConfig, 'utf8')).toContain('Host runcode.api\n');
      expect(config.writes).toBe(1);
    } finally {
      await config.dispose();
    }
  }, 10_000);
});
