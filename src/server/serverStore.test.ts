// The store as the gateway's backend: who may log in, and why not. Plus what it keeps on disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateEd25519KeyPair } from '../core/ssh/opensshKey.js';
import { ServerStore } from './serverStore.js';
import type { WorkspaceDef } from './workspaceCatalog.js';

let dir: string;
let t: number;
const defs = (): WorkspaceDef[] =>
  ['api', 'web'].map((name) => ({
    id: `ws-${name}`,
    name,
    dir: path.join(dir, name),
    ports: [],
    services: [],
  }));
const open = () => new ServerStore(dir, defs(), () => t);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-store-'));
  t = Date.parse('2030-01-01T00:00:00Z');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('authenticate', () => {
  it('lets a registered, live key into its running workspace only', () => {
    const s = open();
    const k = generateEd25519KeyPair();
    s.addPass('ws-api', k.publicKey.split(' ').slice(0, 2).join(' '), 60);
    expect(s.authenticate('ws-api', k.publicBlob)).toEqual({
      ok: false,
      reason: 'workspace ws-api is not running',
    });
    s.setState('ws-api', 'running');
    expect(s.authenticate('ws-api', k.publicBlob)).toEqual({ ok: true, workspaceId: 'ws-api' });
    expect(s.authenticate('ws-web', k.publicBlob)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/another workspace/),
    });
    expect(s.authenticate('root', k.publicBlob)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no workspace/),
    });
    expect(s.authenticate('ws-api', generateEd25519KeyPair().publicBlob)).toMatchObject({
      ok: false,
      reason: 'key has no pass',
    });
    expect(s.authenticate('ws-api', Buffer.from('junk'))).toMatchObject({ ok: false });
    t += 60_000;
    expect(s.authenticate('ws-api', k.publicBlob)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/expired/),
    });
  });

  it('a revoked pass is refused, and renewing the pass lets the key in again', () => {
    const s = open();
    const k = generateEd25519KeyPair();
    const line = k.publicKey.split(' ').slice(0, 2).join(' ');
    s.setState('ws-api', 'running');
    s.addPass('ws-api', line, 60);
    expect(s.revokePass('ws-api', line)).toBe(true);
    expect(s.revokePass('ws-api', line)).toBe(false);
    expect(s.authenticate('ws-api', k.publicBlob)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/revoked/),
    });
    s.addPass('ws-api', line, 60);
    expect(s.authenticate('ws-api', k.publicBlob)).toMatchObject({ ok: true });
  });

  it('tells stop listeners when a workspace leaves running, not otherwise', () => {
    const s = open();
    const stopped: string[] = [];
    const off = s.onWorkspaceStopped((id) => stopped.push(id));
    s.setState('ws-api', 'starting');
    s.setState('ws-api', 'running');
    expect(stopped).toEqual([]);
    s.setState('ws-api', 'stopping');
    expect(stopped).toEqual(['ws-api']);
    off();
    s.setState('ws-api', 'running');
    s.setState('ws-api', 'failed');
    expect(stopped).toEqual(['ws-api']);
    expect(s.workspace('ws-api')).toEqual({
      id: 'ws-api',
      name: 'api',
      dir: path.join(dir, 'api'),
      running: false,
      ports: [],
    });
  });
});

describe('tokens and persistence', () => {
  it('keeps only token hashes, survives a reopen, and expires tokens', () => {
    const s = open();
    const token = s.issueToken(3600);
    expect(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')).not.toContain(token);
    const again = open();
    expect(again.checkToken(token)).toMatchObject({ ok: true });
    expect(again.checkToken(token + 'x')).toMatchObject({ ok: false, code: 'invalid_token' });
    t += 3600_000;
    expect(again.checkToken(token)).toMatchObject({ ok: false, code: 'token_expired' });
  });

  it('drops workspaces no longer defined and numbers events across reopens', () => {
    const s = open();
    s.setState('ws-web', 'running');
    const id = s.lastEventId;
    const state = JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')) as {
      workspaces: Record<string, unknown>;
    };
    state.workspaces['ws-gone'] = { state: 'running', updatedAt: new Date(t).toISOString() };
    fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify(state));
    const again = open();
    expect(again.list().map((w) => [w.id, w.state])).toEqual([
      ['ws-api', 'stopped'],
      ['ws-web', 'running'],
    ]);
    expect(again.lastEventId).toBe(id);
    expect(
      JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')).workspaces['ws-gone'],
    ).toBeUndefined();
  });
});
