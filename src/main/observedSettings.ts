// Settings for the tray: core's SettingsFile (the same <state>/settings.json the CLI reads,
// validated by core's schema and written under the lock both share), with a hook after each
// successful change so main can apply what lives outside the file (launch at login).
//
// Why not electron-store: its writes bypass the lock the CLI and the tray share (lost updates when
// both write), it caches the file in memory (a change from `runcode` would go unseen), and its
// JSON-schema validation would duplicate core's zod schema. It would add nothing here.
import type { SettingsStore, StoredSettings } from '../core/state/settingsFile.js';

export class ObservedSettings implements SettingsStore {
  constructor(
    private readonly inner: SettingsStore,
    private readonly onChange: (next: StoredSettings, patch: Partial<StoredSettings>) => void,
  ) {}

  get(): Promise<StoredSettings> {
    return this.inner.get();
  }

  async set(patch: Partial<StoredSettings>): Promise<StoredSettings> {
    const next = await this.inner.set(patch);
    try {
      this.onChange(next, patch);
    } catch {
      // Applying a side effect (a login item) must not turn a saved change into an error.
    }
    return next;
  }
}
