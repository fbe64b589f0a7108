// Who we are signed in as, and where: the endpoint (settings) and the token (a SecretStore).
// Hands out one ApiClient per endpoint; the token is read from the store on each call, never
// logged, never put in a message.
import type { Me } from '../../shared/protocol.js';
import { ApiClient } from '../api/apiClient.js';
import { checkEndpoint } from '../api/httpsTransport.js';
import { signIn } from '../auth/signIn.js';
import type { SignInOptions } from '../auth/signIn.js';
import { RuncodeError } from '../errors.js';
import type { SecretStore } from '../secrets/secretStore.js';
import type { SettingsStore } from '../state/settingsFile.js';

const TOKEN = 'token';

/** signIn's options, with the endpoint to sign in to in place of a client for it. */
export type SignInRequest = Omit<SignInOptions, 'api'> & { endpoint: string };

export class Session {
  private client: { key: string; api: ApiClient } | undefined;

  constructor(
    private readonly secrets: SecretStore,
    private readonly settings: SettingsStore,
  ) {}

  get secretStore(): { kind: string; warning?: string } {
    return { kind: this.secrets.kind, ...(this.secrets.warning ? { warning: this.secrets.warning } : {}) };
  }

  async endpoint(): Promise<{ endpoint: string; caFile?: string } | undefined> {
    const s = await this.settings.get();
    return s.endpoint ? { endpoint: s.endpoint, ...(s.caFile ? { caFile: s.caFile } : {}) } : undefined;
  }

  async signedIn(): Promise<boolean> {
    return (await this.endpoint()) !== undefined && (await this.secrets.get(TOKEN)) !== undefined;
  }

  /** The token, for the event stream; never logged. */
  token(): Promise<string | undefined> {
    return this.secrets.get(TOKEN);
  }

  /** The client for the signed-in endpoint; `not_signed_in` without one. */
  async api(): Promise<ApiClient> {
    const ep = await this.endpoint();
    if (!ep)
      throw new RuncodeError(
        'not_signed_in',
        'not signed in; run `runcode login` (or sign in from the tray)',
      );
    const key = `${ep.endpoint}\n${ep.caFile ?? ''}`;
    if (this.client?.key !== key) {
      this.client?.api.close();
      const api = new ApiClient({ ...ep, token: () => this.secrets.get(TOKEN) });
      this.client = { key, api };
    }
    return this.client.api;
  }

  /** The browser flow against `endpoint`; on success the token and endpoint are saved. */
  async signIn(req: SignInRequest): Promise<Me> {
    await this.settings.get(); // a damaged settings file is refused before anything changes
    const endpoint = checkEndpoint(req.endpoint).toString().replace(/\/$/, '');
    const base = { endpoint, ...(req.caFile ? { caFile: req.caFile } : {}) };
    const api = new ApiClient(base);
    try {
      const { accessToken } = await signIn({
        api,
        ...(req.caFile ? { caFile: req.caFile } : {}),
        openUrl: req.openUrl,
        ...(req.onUrl ? { onUrl: req.onUrl } : {}),
        ...(req.signal ? { signal: req.signal } : {}),
        ...(req.timeoutMs ? { timeoutMs: req.timeoutMs } : {}),
      });
      const me = await new ApiClient({ ...base, token: accessToken }).me();
      await this.secrets.set(TOKEN, accessToken);
      await this.settings.set({ endpoint, caFile: req.caFile });
      return me;
    } finally {
      api.close();
    }
  }

  /** Saves a token obtained elsewhere (the sandbox, tests) after checking it works. */
  async adoptToken(endpoint: string, caFile: string | undefined, token: string): Promise<Me> {
    await this.settings.get(); // a damaged settings file is refused before anything changes
    const me = await new ApiClient({ endpoint, ...(caFile ? { caFile } : {}), token }).me();
    await this.secrets.set(TOKEN, token);
    await this.settings.set({ endpoint, caFile });
    return me;
  }

  /** Revokes the token (best effort: the server may be gone) and forgets it. */
  async signOut(): Promise<void> {
    if (await this.signedIn()) {
      const api = await this.api();
      await api.revokeToken().catch(() => undefined);
    }
    await this.secrets.delete(TOKEN);
    this.client?.api.close();
    this.client = undefined;
  }

  dispose(): void {
    this.client?.api.close();
    this.client = undefined;
  }
}
