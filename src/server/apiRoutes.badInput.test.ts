// /api/v1 over real HTTPS: every bad input refused with nothing changed (the state file and the
// workspace list byte for byte the same after).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEd25519KeyPair } from '../core/ssh/opensshKey.js';
import { startApiTestServer } from './testing/apiTestServer.js';
import { httpsRequest } from './testing/httpsRequest.js';
import type { TestServer } from './testing/serverFixture.js';

let srv: TestServer;
let token: string;
const req = (p: string, o: Parameters<typeof httpsRequest>[3] = {}) =>
  httpsRequest(srv.endpoint, srv.ca, p, { token, ...o });
const stateFile = () => fs.readFileSync(path.join(srv.dataDir, 'state.json'), 'utf8');

function expectError(r: { status: number; json: unknown }, status: number, code?: string) {
  expect(r.status).toBe(status);
  const e = (r.json as { error: { code: string; message: string } }).error;
  expect(typeof e.message).toBe('string');
  if (code) expect(e.code).toBe(code);
}

beforeAll(async () => {
  ({ srv, token } = await startApiTestServer());
});
afterAll(() => srv?.close());

describe('bad input changes nothing', () => {
  const key = generateEd25519KeyPair().publicKey;
  const rsa = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7' + 'A'.repeat(40);
  const cases: [string, () => ReturnType<typeof req>, number, string?][] = [
    [
      'malformed JSON',
      () => req('/api/v1/workspaces/ws-api/ssh-pass', { raw: '{"publicKey":' }),
      400,
      'invalid_json',
    ],
    ['JSON array', () => req('/api/v1/workspaces/ws-api/ssh-pass', { raw: '[]' }), 400, 'invalid_request'],
    ['JSON null', () => req('/api/v1/workspaces/ws-api/ssh-pass', { raw: 'null' }), 400, 'invalid_request'],
    [
      'numeric key',
      () => req('/api/v1/workspaces/ws-api/ssh-pass', { body: { publicKey: 42 } }),
      400,
      'invalid_request',
    ],
    ['missing key', () => req('/api/v1/workspaces/ws-api/ssh-pass', { body: {} }), 400, 'invalid_request'],
    [
      'rsa key',
      () => req('/api/v1/workspaces/ws-api/ssh-pass', { body: { publicKey: rsa } }),
      400,
      'invalid_public_key',
    ],
    [
      'garbage key',
      () => req('/api/v1/workspaces/ws-api/ssh-pass', { body: { publicKey: 'ssh-ed25519 AAAAnotakey' } }),
      400,
      'invalid_public_key',
    ],
    [
      'two keys',
      () => req('/api/v1/workspaces/ws-api/ssh-pass', { body: { publicKey: `${key}\n${key}` } }),
      400,
      'invalid_public_key',
    ],
    [
      'wrong content type',
      () =>
        req('/api/v1/workspaces/ws-api/ssh-pass', {
          raw: JSON.stringify({ publicKey: key }),
          headers: { 'content-type': 'text/plain' },
        }),
      415,
    ],
    [
      'oversized body',
      () =>
        req('/api/v1/workspaces/ws-api/ssh-pass', { body: { publicKey: key, pad: 'x'.repeat(65 * 1024) } }),
      413,
      'body_too_large',
    ],
    ['unknown workspace: get', () => req('/api/v1/workspaces/ws-nope'), 404, 'workspace_not_found'],
    [
      'unknown workspace: start',
      () => req('/api/v1/workspaces/does-not-exist/start', { method: 'POST' }),
      404,
      'workspace_not_found',
    ],
    [
      'unknown workspace: stop',
      () => req('/api/v1/workspaces/ws-nope/stop', { method: 'POST' }),
      404,
      'workspace_not_found',
    ],
    [
      'unknown workspace: pass',
      () => req('/api/v1/workspaces/ws-nope/ssh-pass', { body: { publicKey: key } }),
      404,
      'workspace_not_found',
    ],
    [
      'unknown workspace: revoke',
      () => req('/api/v1/workspaces/ws-nope/ssh-pass', { method: 'DELETE', body: { publicKey: key } }),
      404,
      'workspace_not_found',
    ],
    [
      'bad percent-encoding',
      () => req('/api/v1/workspaces/%E0%A4%A/start', { method: 'POST' }),
      404,
      'workspace_not_found',
    ],
    ['start by GET', () => req('/api/v1/workspaces/ws-api/start'), 405, 'method_not_allowed'],
    ['list by POST', () => req('/api/v1/workspaces', { method: 'POST' }), 405, 'method_not_allowed'],
    ['unknown call', () => req('/api/v1/nothing'), 404, 'not_found'],
    [
      'oversized start body',
      () => req('/api/v1/workspaces/ws-api/start', { raw: 'x'.repeat(70_000) }),
      413,
      'body_too_large',
    ],
    [
      'no token',
      () => req('/api/v1/workspaces/ws-api/start', { method: 'POST', token: '' }),
      401,
      'unauthorized',
    ],
  ];
  it.each(cases)('%s', async (_name, call, status, code) => {
    const before = stateFile();
    const list = (await req('/api/v1/workspaces')).text;
    expectError(await call(), status, code);
    expect(stateFile()).toBe(before);
    expect((await req('/api/v1/workspaces')).text).toBe(list);
  });

  it('an oversized body is not read to the end: the server answers 413 and closes', async () => {
    const before = stateFile();
    // Declares 5 MiB and sends almost nothing: the 413 must come without waiting for the rest.
    const r = await req('/api/v1/workspaces/ws-api/ssh-pass', {
      raw: '{"publicKey":"',
      headers: { 'content-length': String(5 * 1024 * 1024) },
    });
    expectError(r, 413, 'body_too_large');
    expect(r.headers.connection).toBe('close');
    expect(stateFile()).toBe(before);
  });
});
