// The popover's calls that hold no tray state: open an editor or a page, read and change
// settings, look at or remove the ssh config block, run the doctor.
import type { EditorInfo, Settings, SshConfigInfo } from '../../shared/contract.js';
import type { Workspace } from '../../shared/protocol.js';
import { runDoctor } from '../app/doctor.js';
import type { RuncodeApp } from '../app/runcodeApp.js';
import { assertAllowedUrl } from '../editors/allowedUrl.js';
import { detectEditors } from '../editors/detectEditors.js';
import { EDITORS } from '../editors/editorUrl.js';
import { ownSshConfigPath } from '../paths.js';
import { launchEditor } from '../editors/launchEditor.js';
import type { LaunchDeps } from '../editors/launchEditor.js';
import { RuncodeError } from '../errors.js';
import { resolveWriteTarget } from '../fs/atomicWrite.js';
import { setSshConfigOptIn } from '../app/sshConfigOptIn.js';
import type { ConnectionRecord } from '../state/connectionStore.js';
import { sshAlias } from '../../shared/workspaceName.js';
import { URL_EDITORS } from '../../shared/editors.js';
import { FRESH_ENOUGH_MS } from '../app/freshEnough.js';

/** Editors that read ~/.ssh/config themselves (Remote-SSH and the like). */
const NEEDS_USER_SSH_CONFIG: ReadonlySet<string> = new Set(URL_EDITORS);


export interface DesktopActionsOptions {
  app: RuncodeApp;
  openUrl(url: string): Promise<void>;
  platform: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  spawn?: LaunchDeps['spawn'];
  onSettingsChanged?(s: Settings): void;
  /** What the tray already knows of a workspace (saves a list call). */
  known(name: string): { workspace?: Workspace; connection?: ConnectionRecord };
  /** Fresh key, pass and entry (the tray's connect, which also updates its view). */
  connect(name: string): Promise<void>;
}

export class DesktopActions {
  constructor(private readonly o: DesktopActionsOptions) {}

  editorList(): EditorInfo[] {
    const found = detectEditors(this.o.platform, this.o.env ?? process.env);
    return EDITORS.map((e) => ({ ...e, ...(found[e.id] !== undefined ? { installed: found[e.id] } : {}) }));
  }

  async openEditor(name: string, editor?: Settings['defaultEditor']): Promise<void> {
    const { app } = this.o;
    const settings = await app.settings.get();
    const chosen = editor ?? settings.defaultEditor;
    // These editors find workspaces through ~/.ssh/config: without the opt-in they could not,
    // so say what is needed (the popover asks, and Settings has the switch) instead of opening
    // an editor that fails. The browser IDE and the terminal (our own config) need nothing.
    if (NEEDS_USER_SSH_CONFIG.has(chosen) && !settings.sshConfigOptIn) {
      const label = EDITORS.find((e) => e.id === chosen)?.label ?? chosen;
      throw new RuncodeError(
        'ssh_config_opt_in_needed',
        `${label} finds workspaces through ~/.ssh/config: let RunCode add its removable block ` +
          `(Settings, "Let editors reach workspaces") to open ${name} there`,
      );
    }
    const known = this.o.known(name);
    const ws = known.workspace ?? (await app.findWorkspace(name));
    const rec = known.connection;
    await launchEditor(
      {
        editor: chosen,
        name,
        workdir: rec?.pass.workdir ?? ws.workdir,
        user: rec?.pass.user ?? `ws-${name}`,
        webIdeUrl: ws.webIdeUrl,
        endpoint: (await app.session.endpoint())?.endpoint,
      },
      {
        platform: this.o.platform,
        // The terminal runs `ssh -F <state>/ssh_config`: no ~/.ssh/config entry needed.
        sshConfig: ownSshConfigPath(app.opts.stateDir),
        ...(this.o.env ? { env: this.o.env } : {}),
        ...(this.o.spawn ? { spawn: this.o.spawn } : {}),
        openUrl: (url) => this.o.openUrl(url),
        // The entry must exist and the pass be fresh before the editor dials in.
        ensureReady: async () => {
          const current = await app.connections.get(name);
          const left = current ? Date.parse(current.pass.expiresAt) - app.clock.now() : 0;
          if (!current || left < FRESH_ENOUGH_MS) await this.o.connect(name);
        },
      },
    );
  }

  async openBrowser(url: string): Promise<void> {
    const u = new URL(assertAllowedUrl(url));
    if (u.protocol !== 'https:' && u.protocol !== 'http:')
      throw new RuncodeError('bad_url', 'only web pages open in the browser');
    await this.o.openUrl(u.toString());
  }

  async settingsSet(patch: Partial<Settings>): Promise<Settings> {
    const { sshConfigOptIn, ...rest } = patch;
    // The switch is not just a setting: the block is written (or removed) first, then recorded.
    if (sshConfigOptIn !== undefined) await setSshConfigOptIn(this.o.app, sshConfigOptIn);
    const s = await this.o.app.settings.set(rest);
    this.o.onSettingsChanged?.(s);
    return publicSettings(s);
  }

  async settingsGet(): Promise<Settings> {
    return publicSettings(await this.o.app.settings.get());
  }

  async sshConfig(): Promise<SshConfigInfo> {
    const file = this.o.app.configFile;
    const hosts = (await file.read()).map((e) => sshAlias(e.name));
    // The backup sits beside the file the bytes are in: a symlinked config's target, not the link.
    const backupPath = `${await resolveWriteTarget(file.path)}.runcode-backup`;
    return { path: file.path, hosts, backupPath };
  }

  /** Removes the block and turns the opt-in off (as `runcode config-ssh --remove`). */
  async removeSshConfig(): Promise<SshConfigInfo> {
    await setSshConfigOptIn(this.o.app, false);
    return this.sshConfig();
  }

  doctor() {
    return runDoctor(this.o.app);
  }
}

/** Settings as the popover sees them (not the remembered forwards and ports). */
function publicSettings(s: Settings): Settings {
  return {
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    ...(s.caFile ? { caFile: s.caFile } : {}),
    defaultEditor: s.defaultEditor,
    launchAtLogin: s.launchAtLogin,
    notifications: s.notifications,
    autoUpdate: s.autoUpdate,
    sshConfigOptIn: s.sshConfigOptIn,
  };
}
