import { spawn } from 'node:child_process';
import os from 'node:os';
import { RuncodeError } from '../../core/errors.js';
import { sshConfigArgs } from '../../core/paths.js';
import { withCliApp } from '../cliApp.js';
import { defineCommand } from '../defineCommand.js';
import { ensureConnected, notRunning, targetWorkspace } from '../ensureConnected.js';
import { sshConfigForOwnTools } from '../ownSshConfig.js';
import { sshAlias } from '../../shared/workspaceName.js';

export const sshCommand = defineCommand({
  name: 'ssh',
  usage: `usage: runcode ssh [NAME] [-- CMD [ARG...]]

Opens an interactive shell on the workspace (bare), or runs one command on it (with --), through
the system's OpenSSH: \`ssh -F <state>/ssh_config runcode.NAME\`, RunCode's own ssh config, so
nothing in your ~/.ssh/config is needed or applies. Connects the workspace first when needed; the
attached one when none is named. The exit code is ssh's.
`,
  options: {},
  positionals: { min: 0, max: 1, names: ['NAME'] },
  run: ({ positionals: [given], rest }) =>
    withCliApp(async (app) => {
      const ws = await targetWorkspace(app, given);
      await ensureConnected(app, ws);
      // `--` before the destination: nothing after it can be read as an ssh option.
      const args = [...sshConfigArgs(sshConfigForOwnTools(app)), '--', sshAlias(ws), ...rest];
      const code = await runInherited('ssh', args);
      if (code === 255) {
        // ssh's own 255 ("Permission denied") does not say why; a stopped workspace is the usual one.
        const why = await notRunning(app, ws);
        if (why) process.stderr.write(`runcode: ${why.message}\n`);
      }
      return code;
    }),
});

/** Runs `file` on this terminal; resolves with its exit code (128+N for signal N). */
function runInherited(file: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: 'inherit', shell: false });
    // Ctrl-C reaches ssh through the terminal; we wait for it to finish rather than die first.
    const ignore = (): void => undefined;
    const pass = (sig: NodeJS.Signals) => () => child.kill(sig);
    const onTerm = pass('SIGTERM');
    const onHup = pass('SIGHUP');
    process.on('SIGINT', ignore);
    process.on('SIGTERM', onTerm);
    process.on('SIGHUP', onHup);
    const cleanup = (): void => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', onTerm);
      process.off('SIGHUP', onHup);
    };
    child.once('error', (e) => {
      cleanup();
      reject(
        new RuncodeError(
          'ssh_missing',
          `could not run ${file} (${(e as NodeJS.ErrnoException).code ?? e.message}); is OpenSSH installed?`,
        ),
      );
    });
    child.once('exit', (code, signal) => {
      cleanup();
      resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0));
    });
  });
}
