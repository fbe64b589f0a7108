// What a workspace row does: start and stop (shown at once, before core answers), the ssh
// command, opening an editor (with the ~/.ssh/config question when the editor needs the block),
// and its forwarded ports.
import type { EditorId } from '../shared/contract.js';
import type { ActionKit } from './actionKit.js';
import { friendlyError } from './friendlyError.js';
import { requestedTransitions, transitionKey, upsertForward, upsertWorkspace } from './reducers.js';

export interface WorkspaceActions {
  start(name: string): Promise<void>;
  stop(name: string): Promise<void>;
  /** Ensures the ssh entry and pass; resolves with the command to copy, or undefined on failure. */
  connect(name: string): Promise<string | undefined>;
  openEditor(name: string, editor?: EditorId): Promise<void>;
  /** The answer to "Let your editors reach workspaces?": yes turns the block on and opens. */
  answerOptIn(allow: boolean): Promise<void>;
  toggleForward(workspace: string, remotePort: number, enabled: boolean): Promise<void>;
  addForward(workspace: string, remotePort: number): Promise<boolean>;
}

/**
 * Remembered in the tray's own UI state (per install, like the tabs and rows; the CLI has no such
 * question, so the shared settings keep only the answer that matters: the opt-in itself).
 */
export const OPT_IN_ASKED_TIP = 'ssh-config-opt-in-asked';

export function createWorkspaceActions({ api, get, set, guarded }: ActionKit): WorkspaceActions {
  // In flight, the busy key shows the row as starting/stopping (reducers.ts `applyOverlay`);
  // core's answer carries its own `pending` from then on. A failure drops the key, which shows
  // core's state again.
  async function startOrStop(name: string, action: 'start' | 'stop'): Promise<void> {
    if (requestedTransitions(get().busy)[name]) return;
    await guarded({ failure: `Couldn't ${action} ${name}`, busy: transitionKey(action, name) }, async () => {
      const ws =
        action === 'start' ? await api.workspacesStart({ name }) : await api.workspacesStop({ name });
      set((s) => ({ workspaces: upsertWorkspace(s.workspaces, ws) }));
    });
  }

  /** The editor needs the ~/.ssh/config block: ask, in plain words, instead of failing. */
  async function askOptIn(name: string, editor: EditorId | undefined, e: unknown): Promise<boolean> {
    if ((e as { code?: unknown })?.code !== 'ssh_config_opt_in_needed') return false;
    // Asked once: later Opens say what is needed and point to the switch instead.
    const tips = (await api.uiGet().catch(() => undefined))?.dismissedTips;
    if (tips?.includes(OPT_IN_ASKED_TIP)) {
      set({ optInAsk: { name, ...(editor ? { editor } : {}), needs: friendlyError(e) } });
    } else {
      set({ optInAsk: editor ? { name, editor } : { name } });
      void api.uiSet({ dismissedTips: [...(tips ?? []), OPT_IN_ASKED_TIP] }).catch(() => undefined);
    }
    return true;
  }

  async function openEditor(name: string, editor?: EditorId): Promise<void> {
    await guarded(
      { failure: `Couldn't open ${name}`, busy: `open:${name}`, handle: (e) => askOptIn(name, editor, e) },
      () => api.editorsOpen(editor ? { name, editor } : { name }),
    );
  }

  return {
    start: (name) => startOrStop(name, 'start'),
    stop: (name) => startOrStop(name, 'stop'),

    async connect(name) {
      const answer = await guarded({ failure: `Couldn't connect to ${name}`, busy: `connect:${name}` }, () =>
        api.workspacesConnect({ name }),
      );
      return answer?.command;
    },

    openEditor,

    async answerOptIn(allow) {
      const ask = get().optInAsk;
      set({ optInAsk: undefined });
      if (!ask || !allow) return;
      const done = await guarded({ failure: "Couldn't add the block to ~/.ssh/config" }, async () => {
        set({ settings: await api.settingsSet({ sshConfigOptIn: true }) });
        set({ sshConfig: await api.sshConfigGet() });
        return true;
      });
      if (done) await openEditor(ask.name, ask.editor);
    },

    async toggleForward(workspace, remotePort, enabled) {
      await guarded(
        {
          failure: `Couldn't ${enabled ? 'forward' : 'stop forwarding'} port ${remotePort}`,
          busy: `forward:${workspace}:${remotePort}`,
        },
        async () => {
          const f = await api.forwardsToggle({ workspace, remotePort, enabled });
          set((s) => ({ forwards: upsertForward(s.forwards, f) }));
        },
      );
    },

    async addForward(workspace, remotePort) {
      const ok = await guarded(
        { failure: `Couldn't add port ${remotePort}`, busy: `addPort:${workspace}` },
        async () => {
          const f = await api.forwardsAdd({ workspace, remotePort });
          set((s) => ({ forwards: upsertForward(s.forwards, f) }));
          return true;
        },
      );
      return ok ?? false;
    },
  };
}
