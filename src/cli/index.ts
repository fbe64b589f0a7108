// The `runcode` command line: a thin front end over core (and `runcode server`).

import { closest } from './didYouMean.js';
import { shown } from './displayText.js';
import { cliVersion } from './version.js';

type Command = (argv: string[]) => Promise<number>;

// Each command's module is loaded only when it runs: `--help` and `exec` must not pay for the
// server, the keychain binding or every other command's imports (an agent calls `runcode exec`
// hundreds of times a session; bench/figures/cli.ts). Keep this a plain table: one line per command.
// The descriptions are the product page's cheat sheet, in its words (seed-connect-over-ssh.txt).
const commands: Record<string, [() => Promise<Command>, string]> = {
  login: [
    () => import('./commands/loginCommand.js').then((m) => m.loginCommand),
    'authorize this machine in the browser and save an API token',
  ],
  logout: [
    () => import('./commands/logoutCommand.js').then((m) => m.logoutCommand),
    'revoke and delete everything this machine holds',
  ],
  list: [
    () => import('./commands/listCommand.js').then((m) => m.listCommand),
    'list your workspaces (running ones are SSH-connectable)',
  ],
  start: [
    () => import('./commands/startCommand.js').then((m) => m.startCommand),
    'boot a stopped workspace without attaching (--no-wait returns immediately)',
  ],
  stop: [
    () => import('./commands/stopCommand.js').then((m) => m.stopCommand),
    'power a workspace down (pauses compute billing; storage persists)',
  ],
  connect: [
    () => import('./commands/connectCommand.js').then((m) => m.connectCommand),
    'attach a workspace; --start boots a stopped one, --wait blocks until SSH answers',
  ],
  disconnect: [
    () => import('./commands/disconnectCommand.js').then((m) => m.disconnectCommand),
    'detach, and work goes back to your local machine',
  ],
  'config-ssh': [
    () => import('./commands/configSshCommand.js').then((m) => m.configSshCommand),
    'write ~/.ssh/config entries so your own editor / git reach workspaces',
  ],
  'port-forward': [
    () => import('./commands/portForwardCommand.js').then((m) => m.portForwardCommand),
    'expose a workspace port locally (e.g. a dev server)',
  ],
  open: [
    () => import('./commands/openCommand.js').then((m) => m.openCommand),
    'open the workspace browser IDE in your default browser (--editor for others)',
  ],
  exec: [
    () => import('./commands/execCommand.js').then((m) => m.execCommand),
    'run a command on the attached workspace (no name needed; preferred for agents)',
  ],
  put: [() => import('./commands/putCommand.js').then((m) => m.putCommand), 'upload a file, byte-for-byte'],
  get: [() => import('./commands/getCommand.js').then((m) => m.getCommand), 'download a file, byte-for-byte'],
  ssh: [
    () => import('./commands/sshCommand.js').then((m) => m.sshCommand),
    'open an interactive shell (bare) or run one command (with --) on a workspace',
  ],
  agent: [
    // Before its modules load: what V8 sizes during the load is what the agent keeps (leanHeap.ts).
    () =>
      import('./leanHeap.js')
        .then((m) => m.useLeanHeap())
        .then(() => import('./commands/agentCommand.js'))
        .then((m) => m.agentCommand),
    'keep every connected workspace’s pass fresh (foreground)',
  ],
  mcp: [
    () => import('./mcp/mcpCommand.js').then((m) => m.mcpCommand),
    'serve MCP on stdio, for coding agents',
  ],
  doctor: [
    () => import('./commands/doctorCommand.js').then((m) => m.doctorCommand),
    'preflight: OpenSSH client, token, reachability',
  ],
  logs: [
    () => import('./commands/logsCommand.js').then((m) => m.logsCommand),
    'show (-f: follow) the tray, CLI and server logs',
  ],
  server: [
    () => import('./serverCommand.js').then((m) => m.serverCommand),
    'run the local RunCode server (control plane + SSH gateway)',
  ],
};

const USAGE = `usage: runcode <command> [options]     (runcode <command> --help for its options)

commands:
${Object.entries(commands)
  .map(([name, [, help]]) => `  ${name.padEnd(14)}${help}`)
  .join('\n')}

  runcode --version   the version of this CLI
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? process.stdout : process.stderr).write(USAGE);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`runcode ${cliVersion()}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    const guess = closest(name, Object.keys(commands));
    const what = name.startsWith('-') ? 'option' : 'command';
    process.stderr.write(
      `runcode: unknown ${what} '${shown(name)}'${guess ? `; did you mean '${guess}'?` : ''} (see runcode --help)\n`,
    );
    return 2;
  }
  return (await command[0]())(rest);
}

process.exitCode = await main(process.argv.slice(2));
