// The forward end to end against the real `runcode server` (a child process): sign in, start the
// `api` workspace, forward its demo page with passes issued by the control plane, stop it.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../api/apiClient.js';
import { signIn } from '../auth/signIn.js';
import { RuncodeError } from '../errors.js';
import { generateEd25519KeyPair } from '../ssh/opensshKey.js';
import type { SshTarget } from '../ssh/sshTarget.js';
import { browse } from '../testing/fakeBrowser.js';
import type { LocalServerProcess } from '../testing/localServerProcess.js';
import { startLocalServerProcess } from '../testing/localServerProcess.js';
import type { ForwardInfo } from './forward.js';
import { ForwardManager } from './forwardManager.js';
import { until } from '../testing/until.js';

let srv: LocalServerProcess;
let api: ApiClient;

beforeAll(async () => {
  srv = await startLocalServerProcess({ autoApprove: true, passTtlSeconds: 600 });
  const anon = new ApiClient({ endpoint: srv.endpoint, caFile: srv.caFile });
  try {
    const { accessToken } = await signIn({
      api: anon,
      caFile: srv.caFile,
      openUrl: (url) => void browse(srv, url),
    });
    api = new ApiClient({ endpoint: srv.endpoint, caFile: srv.caFile, token: accessToken });
  } finally {
    anon.close();
  }
});
afterAll(async () => {
  api?.close();
  await srv?.close();
});

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, agent: false, timeout: 5_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

describe('forwards against runcode server', () => {
  it("forwards the api workspace's demo page with control-plane passes; stopping shows why", async () => {
    const ws = (await api.listWorkspaces()).find((w) => w.name === 'api');
    expect(ws?.ports.length).toBeGreaterThan(0);
    const demoPort = ws!.ports[0]!.port;
    await api.startWorkspace(ws!.id);
    await until('running', async () =>
      (await api.getWorkspace(ws!.id)).state === 'running' ? true : undefined,
    );

    // getTarget as the app does it: the workspace must be running (the control plane says why
    // not: the gateway only closes the connection), then a fresh key and pass each time.
    let passes = 0;
    const getTarget = async (): Promise<SshTarget> => {
      const now = await api.getWorkspace(ws!.id);
      if (now.state !== 'running')
        throw new RuncodeError('not_running', `workspace ${now.name} is ${now.state}`);
      const key = generateEd25519KeyPair('forward-e2e');
      const pass = await api.createSshPass(ws!.id, key.publicKey);
      passes++;
      return {
        host: pass.gateway.host,
        port: pass.gateway.port,
        user: pass.user,
        privateKey: key.privateKey,
        hostKeys: pass.hostKeys,
      };
    };
    const fm = new ForwardManager({ getTarget, backoff: { baseMs: 200, maxMs: 1_000 } });
    const seen: ForwardInfo[] = [];
    fm.subscribe((e) => e.type === 'changed' && seen.push(e.forward));
    try {
      const f = await fm.add({ workspace: ws!.id, remotePort: demoPort });
      // The server runs the page on this machine's loopback, so its own port is taken here.
      expect(f.reason).toMatch(new RegExp(`^${demoPort} was taken; using ${f.localPort}$`));
      expect(await until('page', () => get(f.localPort))).toContain(
        'Hello from the <code>api</code> workspace',
      );
      expect(passes).toBe(1);

      await api.stopWorkspace(ws!.id);
      const down = await until('down', () => seen.find((i) => i.state === 'reconnecting'));
      expect(down.reason).toMatch(/^the gateway closed the connection/);
      const failed = await until('failed', () => seen.find((i) => i.state === 'failed'));
      expect(failed.reason).toMatch(/^workspace api is (stopping|stopped)/);

      await api.startWorkspace(ws!.id);
      expect(await until('page again', () => get(f.localPort), 15_000)).toContain('api');
      expect(passes).toBeGreaterThan(1);
    } finally {
      await fm.dispose();
    }
  });
});
