// `runcode exec NAME -- CMD`: the agent's command. bin/runcode first runs the fast path alone
// from exec.cjs (execFastPath.ts); this module is the whole command (and what runs it otherwise).
import { stateDir } from '../../core/paths.js';
import { defineCommand, UsageError, workspaceOption } from '../defineCommand.js';
import type { CommandSpec } from '../defineCommand.js';
import { fastTargetName } from '../execFastPath.js';
import { withFreshSsh } from '../freshTarget.js';
import { runRemote } from '../remoteCommand.js';

export { exitCode, shellQuote } from '../remoteCommand.js';
// For bin/runcode: a failure on exec.cjs's fast path goes into the CLI's log like any other.
export { logCommandError } from '../defineCommand.js';

type ExecSpec = CommandSpec<typeof workspaceOption>;

const spec: Omit<ExecSpec, 'run'> = {
  name: 'exec',
  usage: `usage: runcode exec [-w NAME] -- CMD [ARG...]

Runs a command on the attached workspace (no name needed; preferred for agents), in its workdir,
over SSH (no ssh config needed). Its stdout and stderr stream here as they come; piped stdin is
passed on; the exit code is the command's (128+N when signal N ended it, as a shell reports it).
Each ARG reaches the command as it is (quoted for the remote shell); for pipes or variables use
\`-- sh -c '...'\`.

  -w, --workspace NAME   run it on another workspace (\`runcode exec NAME -- CMD\` works too)
`,
  options: { ...workspaceOption },
  positionals: { min: 0, max: 1, names: ['NAME'] },
};

/** `runcode exec`: the fast path when the pass is fresh, else the full path. */
export const execCommand = defineCommand({ ...spec, run: (args) => exec(args, true) });

/**
 * The same command once the fast path was tried and did not run (bin/runcode, after exec.cjs's
 * fastExec): straight to the full path, so a gateway that does not answer is not tried twice more.
 */
export const execAfterFastPath = defineCommand({ ...spec, run: (args) => exec(args, false) });

async function exec(
  { values, positionals: [given], rest }: Parameters<ExecSpec['run']>[0],
  tryFast: boolean,
): Promise<number> {
  if (rest.length === 0) throw new UsageError('missing CMD: give the command after `--`');
  // A fresh pass needs no control plane: connect from the record alone (freshTarget.ts). The
  // full path (RuncodeApp, loaded only then) validates, reconnects or says what is wrong.
  if (tryFast) {
    const dir = stateDir();
    const fastName = await fastTargetName(dir, given, values.workspace);
    if (fastName !== undefined) {
      const fast = await withFreshSsh(dir, fastName, (client) => runRemote(client, rest));
      if (fast.ran) return fast.value;
    }
  }
  const [{ withCliApp }, { targetWorkspace, withWorkspaceSsh }] = await Promise.all([
    import('../cliApp.js'),
    import('../ensureConnected.js'),
  ]);
  return withCliApp(async (app) =>
    withWorkspaceSsh(app, await targetWorkspace(app, given, values.workspace), (client) =>
      runRemote(client, rest),
    ),
  );
}
