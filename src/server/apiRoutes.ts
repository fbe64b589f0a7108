// /api/v1/*: bearer-authenticated calls of protocol v1 (me, workspaces, start/stop, events,
// ssh-pass). Each bad request is refused before anything changes.
import type http from 'node:http';
import { parseEd25519PublicKey } from '../core/ssh/opensshKey.js';
import type { SshPass } from '../shared/protocol.js';
import type { EventHub } from './eventHub.js';
import { HttpError, discardBody, readJsonObject, sendEmpty, sendJson } from './httpUtil.js';
import type { ServerStore } from './serverStore.js';
import type { WorkspaceDef } from './workspaceCatalog.js';
import type { WorkspaceManager } from './workspaceManager.js';

export interface ApiContext {
  store: ServerStore;
  manager: WorkspaceManager;
  events: EventHub;
  passTtlSeconds: number;
  now: () => number;
  /** Where passes point: the gateway's address and its host key line. */
  gateway: () => { host: string; port: number; hostKey: string };
}

function authenticate(req: http.IncomingMessage, store: ServerStore): string {
  const m = /^Bearer ([\x21-\x7e]{1,512})$/.exec(req.headers.authorization ?? '');
  const challenge = { 'www-authenticate': 'Bearer realm="runcode"' };
  if (!m)
    throw new HttpError(
      401,
      'unauthorized',
      'sign in first: this call needs an Authorization: Bearer token',
      challenge,
    );
  const check = store.checkToken(m[1]!);
  if (!check.ok)
    throw new HttpError(401, check.code, check.message, {
      'www-authenticate': `Bearer realm="runcode", error="invalid_token"`,
    });
  return check.hash;
}

function methodNotAllowed(allow: string): never {
  throw new HttpError(405, 'method_not_allowed', `use ${allow} here`, { allow });
}

function workspaceOf(store: ServerStore, rawId: string): WorkspaceDef {
  let id: string;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    id = rawId;
  }
  const def = store.def(id);
  if (!def) throw new HttpError(404, 'workspace_not_found', `no workspace with id '${id.slice(0, 64)}'`);
  return def;
}

async function publicKeyOf(req: http.IncomingMessage): Promise<string> {
  const body = await readJsonObject(req);
  if (typeof body.publicKey !== 'string')
    throw new HttpError(400, 'invalid_request', "'publicKey' must be a string");
  const key = parseEd25519PublicKey(body.publicKey);
  if (!key) {
    throw new HttpError(
      400,
      'invalid_public_key',
      "'publicKey' must be one OpenSSH ssh-ed25519 public key line (ssh-ed25519 AAAA...)",
    );
  }
  return key.line;
}

/**
 * A pass may be made for a workspace in any state: it is a credential, and the gateway lets it
 * in only while the workspace is running (checked at authentication).
 */
async function createPass(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  def: WorkspaceDef,
  ctx: ApiContext,
): Promise<void> {
  const key = await publicKeyOf(req);
  const pass = ctx.store.addPass(def.id, key, ctx.passTtlSeconds);
  const gw = ctx.gateway();
  const body: SshPass = {
    user: def.id,
    gateway: { host: gw.host, port: gw.port },
    hostKeys: [gw.hostKey],
    expiresAt: new Date(pass.expiresAt).toISOString(),
    workdir: def.dir,
  };
  sendJson(res, 201, body);
}

export async function handleApi(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
  ctx: ApiContext,
): Promise<void> {
  const tokenHash = authenticate(req, ctx.store);
  const method = req.method ?? 'GET';
  if (path === '/api/v1/me') {
    if (method !== 'GET') methodNotAllowed('GET');
    return sendJson(res, 200, ctx.store.user);
  }
  if (path === '/api/v1/workspaces') {
    if (method !== 'GET') methodNotAllowed('GET');
    return sendJson(res, 200, { workspaces: ctx.store.list() });
  }
  if (path === '/api/v1/events') {
    if (method !== 'GET') methodNotAllowed('GET');
    return ctx.events.attach(req, res, tokenHash);
  }
  const m = /^\/api\/v1\/workspaces\/([^/]+)(?:\/(start|stop|ssh-pass))?$/.exec(path);
  if (!m) throw new HttpError(404, 'not_found', `no such call: ${path.slice(0, 100)}`);
  const def = workspaceOf(ctx.store, m[1]!);
  const action = m[2];
  if (action === undefined) {
    if (method !== 'GET') methodNotAllowed('GET');
    return sendJson(res, 200, ctx.store.get(def.id));
  }
  if (action === 'start' || action === 'stop') {
    if (method !== 'POST') methodNotAllowed('POST');
    await discardBody(req);
    return sendJson(res, 202, action === 'start' ? ctx.manager.start(def.id) : ctx.manager.stop(def.id));
  }
  if (method === 'POST') return createPass(req, res, def, ctx);
  if (method === 'DELETE') {
    // 204 whether or not a live pass existed: revoking is idempotent.
    ctx.store.revokePass(def.id, await publicKeyOf(req));
    return sendEmpty(res, 204);
  }
  methodNotAllowed('POST, DELETE');
}
