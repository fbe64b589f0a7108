// Issue 11.1: another local user reaches the local server's ports (127.0.0.1 is everyone's) but
// gets nothing: no consent page, no code, no token, no pass, no shell, none of the owner's files.
// The attack runs for real as `nobody` (runAsOtherUser), against a server started the way the
// tray starts it (auto-approve), with the owner signed in and a workspace running.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../core/secrets/fileSecretStore.js';
import { otherUserSkipReason, runAsOtherUser } from '../core/testing/asOtherUser.js';
import { httpsRequest } from './testing/httpsRequest.js';
import { OTHER_USER_ATTACK } from './testing/otherUserAttack.js';
import type { TestServer } from './testing/serverFixture.js';
import { startTestServer } from './testing/serverFixture.js';

const skip = otherUserSkipReason();

let home: string;
let srv: TestServer;
let stateDir: string;

beforeAll(async () => {
  if (skip) return;
  // A home others may traverse (as many are), holding the owner's state and the server's data.
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-owner-home-'));
  fs.chmodSync(home, 0o755);
  stateDir = path.join(home, '.config', 'runcode');
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o755 });
  // As the tray makes it for its embedded server.
  fs.mkdirSync(path.join(stateDir, 'sandbox'), { mode: 0o700 });
  srv = await startTestServer({ autoApprove: true, dataDir: path.join(stateDir, 'sandbox') });
  await new FileSecretStore(stateDir).set('token', await srv.token());
  const token = await srv.token();
  await httpsRequest(srv.endpoint, srv.ca, '/api/v1/workspaces/ws-api/start', { method: 'POST', token });
});
afterAll(async () => {
  await srv?.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('another local user and the local server', () => {
  it('gets nothing: no consent page, code, token, pass, shell or file', async (ctx) => {
    if (skip) ctx.skip(`another local user gets nothing: ${skip}`);
    const files = [
      path.join(stateDir, 'secrets', 'token'),
      path.join(srv.dataDir, 'tls', 'owner-secret'),
      path.join(srv.dataDir, 'state.json'),
      srv.caFile,
    ];
    for (const f of files.slice(0, 3)) expect(fs.existsSync(f), f).toBe(true);
    const gatewayPort = srv.gateway.split(':').at(-1)!;
    const r = await runAsOtherUser({
      source: OTHER_USER_ATTACK,
      args: [srv.endpoint, gatewayPort, 'ws-api', 'api', ...files],
      timeoutMs: 90_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as Record<string, unknown>;
    console.warn(`the attack as nobody: ${r.stdout.trim()}`);
    expect(got).toMatchObject({
      authorize: { status: 403, consentForm: false },
      consentPage: { status: 403, consentForm: false },
      consent: { status: 403, redirected: false },
      guessedCode: { token: false },
      gotCode: false,
      workspaces: { status: 401 },
      pass: { status: 401 },
    });
    expect(got.gotToken).toBeUndefined();
    const ssh = got.ssh as { status: number; stdout: string };
    expect(ssh.status).not.toBe(0);
    expect(ssh.stdout).not.toMatch(/uid=/);
    expect(got.files).toEqual(files.map((file) => ({ file, read: false, code: 'EACCES' })));
  });
});
