// Start-up and the session: subscribe to core's events, seed from its lists, sign in and out.
import { isApiError, type SessionView } from '../shared/contract.js';
import type { ActionKit, PopoverState } from './actionKit.js';
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
  /** The lists a signed-in popover shows, asked together. */
  function askLists() {
    return Promise.allSettled([
      api.workspacesList(),
      api.forwardsList(),
      api.editorsList(),
      api.settingsGet(),
    ]);
  }

  /** Applies askLists' answers in one update (one render). */
  async function loadSignedIn(asked = askLists()): Promise<void> {
    const [workspaces, forwards, editors, settings] = await asked;
    const patch: Partial<PopoverState> = {};
    if (workspaces.status === 'fulfilled') patch.workspaces = workspaces.value;
    if (forwards.status === 'fulfilled') patch.forwards = forwards.value;
    if (editors.status === 'fulfilled') patch.editors = editors.value;
    if (settings.status === 'fulfilled') patch.settings = settings.value;
    set(patch);
    if (workspaces.status === 'fulfilled') return;
    if (isApiError(workspaces.reason) && workspaces.reason.code === 'unauthorized')
      notify('error', friendlyError(workspaces.reason));
    else fail("Couldn't load workspaces", workspaces.reason);
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
      // Everything the first screen needs is asked at once, before the session's answer: every
      // round trip before the first rows is time the user waits. Signed in is the usual case;
      // signed out, the workspace list's not_signed_in answer is dropped (settings are shown
      // either way). The tray's own UI state does not depend on the session.
      try {
        const asked = api.sessionGet();
        const ui = api.uiGet().catch(() => undefined);
        const lists = askLists();
        const session = await asked;
        // Back where the user left it: the tab and the expanded row (the tray's own state).
        const saved = await ui;
        set({ session, ...(saved ? { view: saved.lastTab, expanded: saved.expandedRows[0] } : {}) });
        if (session.signedIn) await loadSignedIn(lists);
        else {
          const [, , , settings] = await lists;
          if (settings.status === 'fulfilled') set({ settings: settings.value });
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
