// Start-up and the session: subscribe to core's events, seed from its lists, sign in and out.
import { isApiError, type SessionView } from '../shared/contract.js';
import type { ActionKit } from './actionKit.js';
import { cleanMessage, friendlyError } from './friendlyError.js';
import { SIGNED_OUT_DATA } from './popoverData.js';
import { SIGNED_OUT_UI } from './popoverUi.js';

export interface SessionActions {
  /** Subscribes to events, then seeds state. Returns the unsubscribe. */
  init(): Promise<() => void>;
  /** `caFile`: a custom CA certificate (absolute path) for a self-hosted endpoint. */
  signIn(endpoint: string, caFile?: string): Promise<void>;
  cancelSignIn(): Promise<void>;
  trySandbox(): Promise<void>;
  signOut(): Promise<void>;
}

export function createSessionActions({ api, get, set, notify, fail, guarded }: ActionKit): SessionActions {
  async function loadSignedIn(): Promise<void> {
    const [workspaces, forwards, editors, settings] = await Promise.allSettled([
      api.workspacesList(),
      api.forwardsList(),
      api.editorsList(),
      api.settingsGet(),
    ]);
    if (workspaces.status === 'fulfilled') set({ workspaces: workspaces.value });
    else if (isApiError(workspaces.reason) && workspaces.reason.code === 'unauthorized')
      notify('error', friendlyError(workspaces.reason));
    else fail("Couldn't load workspaces", workspaces.reason);
    if (forwards.status === 'fulfilled') set({ forwards: forwards.value });
    if (editors.status === 'fulfilled') set({ editors: editors.value });
    if (settings.status === 'fulfilled') set({ settings: settings.value });
  }

  function onSession(session: SessionView): void {
    const was = get().session?.signedIn ?? false;
    set({ session });
    if (session.signedIn && !was) void loadSignedIn();
    if (!session.signedIn && was) set({ ...SIGNED_OUT_DATA, ...SIGNED_OUT_UI });
  }

  const isCancelled = (e: unknown) => isApiError(e) && e.code === 'cancelled';

  return {
    async init() {
      const offs = [
        api.onWorkspacesChanged((workspaces) => set({ workspaces })),
        api.onForwardsChanged((forwards) => set({ forwards })),
        api.onSessionChanged(onSession),
        api.onNotice((n) => notify(n.level, cleanMessage(n.message) || friendlyError(n))),
      ];
      // Asked together: the tray's own UI state does not depend on the session, and every
      // round trip before the first rows is time the user waits.
      const ui = api.uiGet().catch(() => undefined);
      try {
        const session = await api.sessionGet();
        set({ session });
        // Back where the user left it: the tab and the expanded row (the tray's own state).
        const saved = await ui;
        if (saved) set({ view: saved.lastTab, expanded: saved.expandedRows[0] });
        if (session.signedIn) await loadSignedIn();
        else {
          const settings = await api.settingsGet().catch(() => undefined);
          if (settings) set({ settings });
        }
        set({ phase: 'ready' });
      } catch (e) {
        set({ phase: 'broken' });
        fail("Couldn't load RunCode Tray", e);
      }
      return () => offs.forEach((off) => off());
    },

    async signIn(endpoint, caFile) {
      set({ signingIn: true });
      try {
        const ca = caFile?.trim();
        const arg = { endpoint: endpoint.trim(), ...(ca ? { caFile: ca } : {}) };
        await guarded({ failure: "Couldn't sign in", handle: isCancelled }, async () =>
          onSession(await api.sessionSignIn(arg)),
        );
      } finally {
        set({ signingIn: false });
      }
    },

    async cancelSignIn() {
      await guarded({ failure: "Couldn't cancel" }, () => api.sessionCancelSignIn());
    },

    async trySandbox() {
      await guarded({ failure: "Couldn't start the local demo server", busy: 'sandbox' }, async () =>
        onSession(await api.sessionTrySandbox()),
      );
    },

    async signOut() {
      await guarded({ failure: "Couldn't sign out", busy: 'signOut' }, async () =>
        onSession(await api.sessionSignOut()),
      );
    },
  };
}
