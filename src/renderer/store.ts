// The popover's state: seeded by one list call per kind at start, then fed by the contract's
// events (push, not polling). Actions call `window.runcode` and turn failures into banners.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  DoctorCheck,
  EditorId,
  EditorInfo,
  ForwardView,
  Notice,
  RuncodeApi,
  SessionView,
  Settings,
  SshConfigInfo,
  WorkspaceView,
} from '../shared/contract.js';
import type { StateFilter } from './filter.js';
import { isApiError } from '../shared/contract.js';
import { cleanMessage, describeFailure, friendlyError } from './friendlyError.js';
import { type Overlay, upsertForward, upsertWorkspace, withOverlay, moveSelection } from './reducers.js';

export type View = 'workspaces' | 'settings' | 'doctor';

export interface Banner {
  id: number;
  level: Notice['level'];
  text: string;
}

export interface PopoverState {
  phase: 'loading' | 'ready' | 'broken';
  session: SessionView | undefined;
  /** A browser sign-in this popover started is in progress. */
  signingIn: boolean;
  /** The server's list; `overlay` holds our pending start/stop on top of it. */
  workspaces: readonly WorkspaceView[];
  overlay: Overlay;
  forwards: readonly ForwardView[];
  editors: readonly EditorInfo[];
  settings: Settings | undefined;
  sshConfig: SshConfigInfo | undefined;
  doctor: readonly DoctorCheck[] | undefined;
  view: View;
  query: string;
  stateFilter: StateFilter;
  selected: string | undefined;
  expanded: string | undefined;
  /** In-flight actions by key (`signOut`, `connect:api`, `forward:api:3000`, ...). */
  busy: Readonly<Record<string, true>>;
  banners: readonly Banner[];
  /**
   * An Open that needs the ~/.ssh/config block: the question (the first time), or, once asked,
   * `needs`: one line saying what the editor needs, with the way to the Settings switch.
   */
  optInAsk: { name: string; editor?: EditorId; needs?: string } | undefined;
}

/**
 * Remembered in the tray's own UI state (per install, like the tabs and rows; the CLI has no such
 * question, so the shared settings keep only the answer that matters: the opt-in itself).
 */
export const OPT_IN_ASKED_TIP = 'ssh-config-opt-in-asked';

export interface PopoverActions {
  /** Subscribes to events, then seeds state. Returns the unsubscribe. */
  init(): Promise<() => void>;
  /** `caFile`: a custom CA certificate (absolute path) for a self-hosted endpoint. */
  signIn(endpoint: string, caFile?: string): Promise<void>;
  cancelSignIn(): Promise<void>;
  trySandbox(): Promise<void>;
  signOut(): Promise<void>;
  start(name: string): Promise<void>;
  stop(name: string): Promise<void>;
  /** Ensures the ssh entry and pass; resolves with the command to copy, or undefined on failure. */
  connect(name: string): Promise<string | undefined>;
  openEditor(name: string, editor?: EditorId): Promise<void>;
  /** The answer to "Let your editors reach workspaces?": yes turns the block on and opens. */
  answerOptIn(allow: boolean): Promise<void>;
  openUrl(url: string): Promise<void>;
  toggleForward(workspace: string, remotePort: number, enabled: boolean): Promise<void>;
  addForward(workspace: string, remotePort: number): Promise<boolean>;
  saveSettings(patch: Partial<Settings>): Promise<void>;
  loadSettingsView(): Promise<void>;
  removeSshEntries(): Promise<void>;
  runDoctor(): Promise<void>;
  setView(view: View): void;
  setQuery(query: string): void;
  /** Esc with nothing left to close: ask the shell to hide the popover. */
  hideWindow(): void;
  setStateFilter(filter: StateFilter): void;
  select(name: string | undefined): void;
  moveSelection(visible: readonly { name: string }[], delta: number): void;
  toggleExpanded(name: string, open?: boolean): void;
  notify(level: Banner['level'], text: string): void;
  dismiss(id: number): void;
}

export type PopoverStore = StoreApi<PopoverState & PopoverActions>;

export const MAX_BANNERS = 3;

export function initialState(): PopoverState {
  return {
    phase: 'loading',
    session: undefined,
    signingIn: false,
    workspaces: [],
    overlay: {},
    forwards: [],
    editors: [],
    settings: undefined,
    sshConfig: undefined,
    doctor: undefined,
    view: 'workspaces',
    query: '',
    stateFilter: 'all',
    selected: undefined,
    expanded: undefined,
    busy: {},
    banners: [],
    optInAsk: undefined,
  };
}

/** Newest last; the same text is not shown twice; at most MAX_BANNERS. */
export function addBanner(banners: readonly Banner[], banner: Banner): Banner[] {
  const rest = banners.filter((b) => b.text !== banner.text);
  return [...rest, banner].slice(-MAX_BANNERS);
}

export function createPopoverStore(api: RuncodeApi): PopoverStore {
  let nextBannerId = 1;
  return createStore<PopoverState & PopoverActions>()((set, get) => {
    const notify = (level: Banner['level'], text: string): void =>
      set((s) => ({ banners: addBanner(s.banners, { id: nextBannerId++, level, text }) }));
    const fail = (action: string, e: unknown): void => notify('error', describeFailure(action, e));

    /** Runs `fn` with `key` marked busy (a second click while busy is ignored). */
    async function busy<T>(key: string, fn: () => Promise<T>): Promise<T | undefined> {
      if (get().busy[key]) return undefined;
      set((s) => ({ busy: { ...s.busy, [key]: true } }));
      try {
        return await fn();
      } finally {
        set((s) => {
          const next = { ...s.busy };
          delete next[key];
          return { busy: next };
        });
      }
    }

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
      if (!session.signedIn && was) {
        set({
          workspaces: [],
          forwards: [],
          overlay: {},
          selected: undefined,
          expanded: undefined,
          view: 'workspaces',
        });
      }
    }

    async function startOrStop(name: string, action: 'start' | 'stop'): Promise<void> {
      if (get().overlay[name]) return;
      set((s) => ({ overlay: withOverlay(s.overlay, name, action) }));
      try {
        const ws =
          action === 'start' ? await api.workspacesStart({ name }) : await api.workspacesStop({ name });
        set((s) => ({
          workspaces: upsertWorkspace(s.workspaces, ws),
          overlay: withOverlay(s.overlay, name, undefined),
        }));
      } catch (e) {
        // Rollback: dropping the overlay shows the server's state again.
        set((s) => ({ overlay: withOverlay(s.overlay, name, undefined) }));
        fail(`Couldn't ${action} ${name}`, e);
      }
    }

    return {
      ...initialState(),

      async init() {
        const offs = [
          api.onWorkspacesChanged((workspaces) => set({ workspaces })),
          api.onForwardsChanged((forwards) => set({ forwards })),
          api.onSessionChanged(onSession),
          api.onNotice((n) => notify(n.level, cleanMessage(n.message) || friendlyError(n))),
        ];
        try {
          const session = await api.sessionGet();
          set({ session });
          // Back where the user left it: the tab and the expanded row (the tray's own state).
          const ui = await api.uiGet().catch(() => undefined);
          if (ui) set({ view: ui.lastTab, expanded: ui.expandedRows[0] });
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
          onSession(await api.sessionSignIn({ endpoint: endpoint.trim(), ...(ca ? { caFile: ca } : {}) }));
        } catch (e) {
          if (!(isApiError(e) && e.code === 'cancelled')) fail("Couldn't sign in", e);
        } finally {
          set({ signingIn: false });
        }
      },

      async cancelSignIn() {
        try {
          await api.sessionCancelSignIn();
        } catch (e) {
          fail("Couldn't cancel", e);
        }
      },

      async trySandbox() {
        await busy('sandbox', async () => {
          try {
            onSession(await api.sessionTrySandbox());
          } catch (e) {
            fail("Couldn't start the local demo server", e);
          }
        });
      },

      async signOut() {
        await busy('signOut', async () => {
          try {
            onSession(await api.sessionSignOut());
          } catch (e) {
            fail("Couldn't sign out", e);
          }
        });
      },

      start: (name) => startOrStop(name, 'start'),
      stop: (name) => startOrStop(name, 'stop'),

      async connect(name) {
        return busy(`connect:${name}`, async () => {
          try {
            return (await api.workspacesConnect({ name })).command;
          } catch (e) {
            fail(`Couldn't connect to ${name}`, e);
            return undefined;
          }
        });
      },

      async openEditor(name, editor) {
        await busy(`open:${name}`, async () => {
          try {
            await api.editorsOpen(editor ? { name, editor } : { name });
          } catch (e) {
            // The editor needs the ~/.ssh/config block: ask, in plain words, instead of failing.
            if ((e as { code?: unknown })?.code === 'ssh_config_opt_in_needed') {
              // Asked once: later Opens say what is needed and point to the switch instead.
              const tips = (await api.uiGet().catch(() => undefined))?.dismissedTips;
              if (tips?.includes(OPT_IN_ASKED_TIP)) {
                set({ optInAsk: { name, ...(editor ? { editor } : {}), needs: friendlyError(e) } });
              } else {
                set({ optInAsk: editor ? { name, editor } : { name } });
                void api.uiSet({ dismissedTips: [...(tips ?? []), OPT_IN_ASKED_TIP] }).catch(() => undefined);
              }
            } else fail(`Couldn't open ${name}`, e);
          }
        });
      },

      async answerOptIn(allow) {
        const ask = get().optInAsk;
        set({ optInAsk: undefined });
        if (!ask || !allow) return;
        try {
          set({ settings: await api.settingsSet({ sshConfigOptIn: true }) });
          set({ sshConfig: await api.sshConfigGet() });
        } catch (e) {
          fail("Couldn't add the block to ~/.ssh/config", e);
          return;
        }
        await get().openEditor(ask.name, ask.editor);
      },

      async openUrl(url) {
        try {
          await api.browserOpen({ url });
        } catch (e) {
          fail("Couldn't open the browser", e);
        }
      },

      async toggleForward(workspace, remotePort, enabled) {
        await busy(`forward:${workspace}:${remotePort}`, async () => {
          try {
            const f = await api.forwardsToggle({ workspace, remotePort, enabled });
            set((s) => ({ forwards: upsertForward(s.forwards, f) }));
          } catch (e) {
            fail(`Couldn't ${enabled ? 'forward' : 'stop forwarding'} port ${remotePort}`, e);
          }
        });
      },

      async addForward(workspace, remotePort) {
        const ok = await busy(`addPort:${workspace}`, async () => {
          try {
            const f = await api.forwardsAdd({ workspace, remotePort });
            set((s) => ({ forwards: upsertForward(s.forwards, f) }));
            return true;
          } catch (e) {
            fail(`Couldn't add port ${remotePort}`, e);
            return false;
          }
        });
        return ok ?? false;
      },

      async saveSettings(patch) {
        // Optimistic, so a checkbox flips at once; put back if the app refuses it.
        const before = get().settings;
        if (before) set({ settings: { ...before, ...patch } });
        try {
          set({ settings: await api.settingsSet(patch) });
          // The switch added or removed the block: show the hosts as they are now.
          if ('sshConfigOptIn' in patch) set({ sshConfig: await api.sshConfigGet() });
        } catch (e) {
          set({ settings: before });
          fail("Couldn't save the setting", e);
        }
      },

      async loadSettingsView() {
        const [settings, sshConfig] = await Promise.allSettled([api.settingsGet(), api.sshConfigGet()]);
        if (settings.status === 'fulfilled') set({ settings: settings.value });
        else fail("Couldn't load settings", settings.reason);
        if (sshConfig.status === 'fulfilled') set({ sshConfig: sshConfig.value });
        else fail("Couldn't read the ssh config", sshConfig.reason);
      },

      async removeSshEntries() {
        await busy('sshRemove', async () => {
          try {
            set({ sshConfig: await api.sshConfigRemove() });
            notify('info', 'Removed the RunCode entries from your ssh config.');
          } catch (e) {
            fail("Couldn't remove the entries", e);
          }
        });
      },

      async runDoctor() {
        await busy('doctor', async () => {
          try {
            set({ doctor: await api.doctorRun() });
          } catch (e) {
            fail("Couldn't run the checks", e);
          }
        });
      },

      setView: (view) => {
        set({ view });
        void api.uiSet({ lastTab: view }).catch(() => undefined);
      },
      // A new query selects its first row again (and the list scrolls to the top).
      setQuery: (query) => set({ query, selected: undefined }),
      hideWindow: () => void api.windowHide().catch(() => undefined),
      setStateFilter: (stateFilter) => set({ stateFilter, selected: undefined }),
      select: (selected) => set({ selected }),
      moveSelection: (visible, delta) =>
        set((s) => ({ selected: moveSelection(visible, s.selected, delta) })),
      toggleExpanded: (name, open) => {
        set((s) => {
          const isOpen = s.expanded === name;
          const want = open ?? !isOpen;
          return { expanded: want ? name : isOpen ? undefined : s.expanded, selected: name };
        });
        const expanded = get().expanded;
        void api.uiSet({ expandedRows: expanded ? [expanded] : [] }).catch(() => undefined);
      },
      notify,
      dismiss: (id) => set((s) => ({ banners: s.banners.filter((b) => b.id !== id) })),
    };
  });
}
