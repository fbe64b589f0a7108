// The tray's "Show logs" and "Save diagnostics...": where the archive goes is asked through the
// shell (main: a save dialog; the harness: a fixed path), what goes in is decided here.
import os from 'node:os';
import path from 'node:path';
import type { RuncodeApp } from '../app/runcodeApp.js';
import { runDoctor } from '../app/doctor.js';
import { logsDir } from '../logs/logger.js';
import { ownSshConfigPath } from '../paths.js';
import { tryLogIn } from '../logs/processLog.js';
import { diagnosticsFileName, saveDiagnostics } from './diagnostics.js';

export interface DiagnosticsShell {
  /** Where to save (a dialog), starting from `suggested`; undefined when the user cancels. */
  choosePath?(suggested: string): Promise<string | undefined>;
  /** Shows a folder (or a file in its folder) in the file manager. */
  showPath?(p: string): Promise<void>;
  appVersion?: string;
  electronVersion?: string;
  /** Our own ssh config, included whole when present. */
  ownSshConfigPath?: string;
}

export class DiagnosticsActions {
  constructor(
    private readonly app: RuncodeApp,
    private readonly shell: DiagnosticsShell = {},
  ) {}

  async save(): Promise<{ path?: string }> {
    const suggested = path.join(os.homedir(), diagnosticsFileName(new Date(this.app.clock.now())));
    const dest = this.shell.choosePath
      ? await this.shell.choosePath(suggested)
      : path.join(this.app.opts.stateDir, 'diagnostics', path.basename(suggested));
    if (!dest) return {};
    const written = await saveDiagnostics(dest, {
      stateDir: this.app.opts.stateDir,
      sshConfigPath: this.app.opts.sshConfigPath,
      ownSshConfigPath: this.shell.ownSshConfigPath ?? ownSshConfigPath(this.app.opts.stateDir),
      appVersion: this.shell.appVersion ?? 'unknown',
      ...(this.shell.electronVersion ? { electronVersion: this.shell.electronVersion } : {}),
      doctor: () => runDoctor(this.app),
    });
    tryLogIn(this.app.opts.stateDir, 'tray', 'info', `diagnostics saved to ${written}`);
    await this.shell.showPath?.(written).catch(() => undefined);
    return { path: written };
  }

  async showLogs(): Promise<{ path: string }> {
    const dir = logsDir(this.app.opts.stateDir);
    await this.shell.showPath?.(dir);
    return { path: dir };
  }
}
