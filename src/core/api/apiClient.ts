// The control-plane client (DESIGN.md, "Control plane, v1"). Every answer goes through a
// schema in ./schemas.ts before it is returned; arguments are checked before they are sent.
import type { Me, SshPass, Workspace } from '../../shared/protocol.js';
import { OAUTH_CLIENT_ID } from '../../shared/protocol.js';
import { RuncodeError } from '../errors.js';
import { parseEd25519PublicKey } from '../ssh/opensshKey.js';
import { bearerToken } from './bearerToken.js';
import type { HttpsTransportOptions, JsonRequest } from './httpsTransport.js';
import { HttpsTransport } from './httpsTransport.js';
import {
  idSchema,
  parseMe,
  parseSshPass,
  parseTokenResponse,
  parseWorkspace,
  parseWorkspaceList,
} from './schemas.js';

export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

export interface ApiClientOptions extends HttpsTransportOptions {
  /** The bearer token, or a getter asked before each call (so a refreshed token is picked up). */
  token?: TokenSource;
  /** The clock passes are checked against; injectable for tests. */
  now?: () => Date;
}

export interface CodeExchange {
  code: string;
  redirectUri: string;
  codeVerifier: string;
}

export class ApiClient {
  private readonly http: HttpsTransport;
  private readonly token: TokenSource | undefined;
  private readonly now: () => Date;

  constructor(opts: ApiClientOptions) {
    this.http = new HttpsTransport(opts);
    this.token = opts.token;
    this.now = opts.now ?? (() => new Date());
  }

  /** The normalised endpoint, `https://host:port[/base]`. */
  get endpoint(): string {
    return this.http.endpoint;
  }

  /** Closes idle connections. */
  close(): void {
    this.http.close();
  }

  /** Resolves with the signed-in account; rejects 'unauthorized' when the token is no good. */
  async me(): Promise<Me> {
    return parseMe(await this.authed({ method: 'GET', path: '/api/v1/me', ok: [200] }));
  }

  async listWorkspaces(): Promise<Workspace[]> {
    return parseWorkspaceList(await this.authed({ method: 'GET', path: '/api/v1/workspaces', ok: [200] }));
  }

  async getWorkspace(id: string): Promise<Workspace> {
    const json = await this.authed({ method: 'GET', path: workspacePath(id), ok: [200] });
    return sameWorkspace(id, parseWorkspace(json));
  }

  /** Asks the server to start a workspace; resolves with its state right after (often `starting`). */
  async startWorkspace(id: string): Promise<Workspace> {
    const json = await this.authed({ method: 'POST', path: `${workspacePath(id)}/start`, ok: [200, 202] });
    return sameWorkspace(id, parseWorkspace(json));
  }

  async stopWorkspace(id: string): Promise<Workspace> {
    const json = await this.authed({ method: 'POST', path: `${workspacePath(id)}/stop`, ok: [200, 202] });
    return sameWorkspace(id, parseWorkspace(json));
  }

  /** Registers a public key for a workspace and returns the validated pass (host keys canonical). */
  async createSshPass(id: string, publicKey: string): Promise<SshPass> {
    const key = checkPublicKey(publicKey);
    const json = await this.authed({
      method: 'POST',
      path: `${workspacePath(id)}/ssh-pass`,
      body: { publicKey: key },
      ok: [200, 201],
    });
    return parseSshPass(json, this.now());
  }

  async revokeSshPass(id: string, publicKey: string): Promise<void> {
    const key = checkPublicKey(publicKey);
    await this.authed({
      method: 'DELETE',
      path: `${workspacePath(id)}/ssh-pass`,
      body: { publicKey: key },
      ok: [200, 204],
    });
  }

  /** The OAuth code + PKCE verifier for an access token (RFC 6749 4.1.3, RFC 7636). */
  async exchangeCode(x: CodeExchange): Promise<{ accessToken: string }> {
    const json = await this.http.request({
      method: 'POST',
      path: '/oauth/token',
      body: {
        grant_type: 'authorization_code',
        code: x.code,
        redirect_uri: x.redirectUri,
        client_id: OAUTH_CLIENT_ID,
        code_verifier: x.codeVerifier,
      },
      ok: [200],
    });
    return parseTokenResponse(json);
  }

  /** Revokes the current token (RFC 7009). */
  async revokeToken(): Promise<void> {
    const token = await this.requireToken();
    await this.http.request({ method: 'POST', path: '/oauth/revoke', body: { token }, ok: [200, 204] });
  }

  private async authed(req: Omit<JsonRequest, 'token'>): Promise<unknown> {
    return this.http.request({ ...req, token: await this.requireToken() });
  }

  private async requireToken(): Promise<string> {
    return bearerToken(typeof this.token === 'function' ? await this.token() : this.token);
  }
}

function workspacePath(id: string): string {
  if (!idSchema.safeParse(id).success) {
    throw new RuncodeError('invalid_argument', `"${String(id).slice(0, 40)}" is not a valid workspace id`);
  }
  return `/api/v1/workspaces/${encodeURIComponent(id)}`;
}

function sameWorkspace(id: string, ws: Workspace): Workspace {
  if (ws.id !== id) {
    throw new RuncodeError(
      'bad_response',
      `the server answered about workspace.id "${ws.id}" when asked about "${id}"`,
    );
  }
  return ws;
}

function checkPublicKey(publicKey: string): string {
  const parsed = parseEd25519PublicKey(publicKey);
  if (!parsed) throw new RuncodeError('invalid_argument', 'the public key is not a valid ssh-ed25519 key line');
  return parsed.line;
}
