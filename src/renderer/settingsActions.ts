// The Settings and Doctor tabs: shared settings (optimistic), the ssh config's entries, the
// doctor's checks, and the browser.
import type { Settings } from '../shared/contract.js';
import type { ActionKit } from './actionKit.js';

export interface SettingsActions {
  saveSettings(patch: Partial<Settings>): Promise<void>;
  loadSettingsView(): Promise<void>;
  removeSshEntries(): Promise<void>;
  runDoctor(): Promise<void>;
  openUrl(url: string): Promise<void>;
}

export function createSettingsActions({ api, get, set, notify, fail, guarded }: ActionKit): SettingsActions {
  return {
    async saveSettings(patch) {
      // Optimistic, so a checkbox flips at once; put back if the app refuses it.
      const before = get().settings;
      if (before) set({ settings: { ...before, ...patch } });
      const saved = await guarded({ failure: "Couldn't save the setting" }, async () => {
        set({ settings: await api.settingsSet(patch) });
        // The switch added or removed the block: show the hosts as they are now.
        if ('sshConfigOptIn' in patch) set({ sshConfig: await api.sshConfigGet() });
        return true;
      });
      if (!saved) set({ settings: before });
    },

    async loadSettingsView() {
      // Both shown as far as they load: one failing does not hide the other.
      const [settings, sshConfig] = await Promise.allSettled([api.settingsGet(), api.sshConfigGet()]);
      if (settings.status === 'fulfilled') set({ settings: settings.value });
      else fail("Couldn't load settings", settings.reason);
      if (sshConfig.status === 'fulfilled') set({ sshConfig: sshConfig.value });
      else fail("Couldn't read the ssh config", sshConfig.reason);
    },

    async removeSshEntries() {
      await guarded({ failure: "Couldn't remove the entries", busy: 'sshRemove' }, async () => {
        set({ sshConfig: await api.sshConfigRemove() });
        notify('info', 'Removed the RunCode entries from your ssh config.');
      });
    },

    async runDoctor() {
      await guarded({ failure: "Couldn't run the checks", busy: 'doctor' }, async () => {
        set({ doctor: await api.doctorRun() });
      });
    },

    async openUrl(url) {
      await guarded({ failure: "Couldn't open the browser" }, () => api.browserOpen({ url }));
    },
  };
}
