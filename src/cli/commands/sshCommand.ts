import { spawn } from 'node:child_process';
import os from 'node:os';
import { RuncodeError } from '../../core/errors.js';
import { sshConfigArgs } from '../../core/paths.js';
import { withCliApp } from '../cliApp.js';
import { defineCommand } from '../defineCommand.js';
import { ensureConnected, workspaceName } from '../ensureConnected.js';

export const sshCommand = defineCommand({
  name: 'ssh',
  usage: `usage: runcode ssh NAME [-- CMD [ARG...]]

Runs the system's \`ssh runcode.NAME\` through the managed ssh config entry (connecting the
workspace first when needed): a login shell, or CMD as ssh runs it. The exit code is ssh's.
`,
  options: {},
  positionals: { min: 1, max: 1 },
  run: async ({ positionals: [name], rest }) => {
    const ws = workspaceName(name);
    return withCliApp(async (app) => {
      await ensureConnected(app, ws);
      // `--` before the destination: nothing after it can be read as an ssh option.
      const args = [...sshConfigArgs(app.configFile.path), '--', `runcode.${ws}`, ...rest];
      return runInherited('ssh', args);
    });
  },
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
