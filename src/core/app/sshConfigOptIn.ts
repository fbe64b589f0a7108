// The one opt-in exception to "your ~/.ssh is untouched" (issue 10.2): the block in the user's
// ssh config, for the tools that read ~/.ssh/config themselves (VS Code Remote-SSH, Cursor, Zed,
// JetBrains Gateway, plain git). The choice lives in the shared settings (`sshConfigOptIn`), so
// the tray and the CLI agree; `runcode config-ssh` and the tray's switch both come through here.
import type { CoalescingConfigWriter } from '../ssh/coalescingConfigWriter.js';
import type { KnownHosts } from '../ssh/knownHosts.js';
import type { ConfigPreview, SshConfigFile } from '../ssh/sshConfigFile.js';
import type { SettingsStore } from '../state/settingsFile.js';
import type { Connections } from './connections.js';
import { hostKeyAlias } from '../ssh/sshValues.js';

/** The parts of RuncodeApp used here, named rather than picked from RuncodeApp (which imports this). */
interface App {
  readonly config: CoalescingConfigWriter;
  readonly configFile: SshConfigFile;
  readonly connections: Connections;
  readonly knownHosts: KnownHosts;
  readonly settings: SettingsStore;
}

export interface OptInResult {
  /** The user's ssh config. */
  path: string;
  changed: boolean;
  /** Hosts now in the block (0 when turned off). */
  hosts: number;
}

/** True when the user let RunCode keep a block in their ssh config. */
export async function sshConfigOptedIn(app: Pick<App, 'settings'>): Promise<boolean> {
  return (await app.settings.get()).sshConfigOptIn === true;
}

/**
 * On: writes the block for every connection and re-pins each one's host keys from its record,
 * then records the choice (a block that cannot be written leaves the choice off). Off: removes
 * the block byte-exactly, then records the choice (a block that cannot be removed leaves it on).
 */
export async function setSshConfigOptIn(app: App, on: boolean): Promise<OptInResult> {
  if (!on) {
    const change = await app.config.removeUserBlock();
    await app.settings.set({ sshConfigOptIn: false });
    return { path: change.path, changed: change.changed, hosts: 0 };
  }
  const records = await app.connections.list();
  // Re-pin from the records: a damaged known_hosts makes OpenSSH refuse the host silently.
  for (const r of records) await app.knownHosts.pin(hostKeyAlias(r.name), r.pass.hostKeys);
  const change = await app.config.setUserBlock(records.map((r) => app.connections.entry(r)));
  await app.settings.set({ sshConfigOptIn: true });
  return { path: change.path, changed: change.changed, hosts: records.length };
}

/** What setSshConfigOptIn(on) would change in the user's ssh config, as a diff. */
export async function previewSshConfigOptIn(app: App, on: boolean): Promise<ConfigPreview> {
  const entries = on ? (await app.connections.list()).map((r) => app.connections.entry(r)) : [];
  return app.configFile.preview(entries);
}

/**
 * A machine set up before the opt-in existed has a block in ~/.ssh/config that its editors use:
 * keep it working (and following connects) instead of leaving it stale. Runs at tray and agent
 * start; `config-ssh --remove` turns it off for good.
 */
export async function adoptExistingBlock(app: Pick<App, 'configFile' | 'settings'>): Promise<boolean> {
  if (await sshConfigOptedIn(app)) return false;
  const entries = await app.configFile.read().catch(() => []);
  if (entries.length === 0) return false;
  await app.settings.set({ sshConfigOptIn: true });
  return true;
}
