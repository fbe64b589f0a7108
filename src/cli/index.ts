// The `runcode` command line: a thin front end over core (and `runcode server`).

type Command = (argv: string[]) => Promise<number>;

// Each command's module is loaded only when it runs: `--help` and `exec` must not pay for the
// server, the keychain binding or every other command's imports (an agent calls `runcode exec`
// hundreds of times a session; bench/figures/cli.ts). Keep this a plain table: one line per command.
const commands: Record<string, [() => Promise<Command>, string]> = {
  login: [
    () => import('./commands/loginCommand.js').then((m) => m.loginCommand),
    'authorize this machine in the browser and save a token',
  ],
  logout: [
    () => import('./commands/logoutCommand.js').then((m) => m.logoutCommand),
    'revoke and delete everything this machine holds',
  ],
  list: [
    () => import('./commands/listCommand.js').then((m) => m.listCommand),
    'list your workspaces (running ones are SSH-connectable)',
  ],
  start: [() => import('./commands/startCommand.js').then((m) => m.startCommand), 'boot a stopped workspace'],
  stop: [() => import('./commands/stopCommand.js').then((m) => m.stopCommand), 'power a workspace down'],
  connect: [
    () => import('./commands/connectCommand.js').then((m) => m.connectCommand),
    'attach a workspace: fresh key, pass and `Host runcode.NAME` entry',
  ],
  disconnect: [
    () => import('./commands/disconnectCommand.js').then((m) => m.disconnectCommand),
    'detach a workspace',
  ],
  'config-ssh': [
    () => import('./commands/configSshCommand.js').then((m) => m.configSshCommand),
    'write (or --remove) the ssh config block',
  ],
  'port-forward': [
    () => import('./commands/portForwardCommand.js').then((m) => m.portForwardCommand),
    'forward workspace ports to 127.0.0.1 until Ctrl-C',
  ],
  open: [
    () => import('./commands/openCommand.js').then((m) => m.openCommand),
    'open a workspace in your editor (or --print the URL)',
  ],
  exec: [
    () => import('./commands/execCommand.js').then((m) => m.execCommand),
    'run one command in a workspace',
  ],
  put: [() => import('./commands/putCommand.js').then((m) => m.putCommand), 'upload a file to a workspace'],
  get: [
    () => import('./commands/getCommand.js').then((m) => m.getCommand),
    'download a file from a workspace',
  ],
  ssh: [
    () => import('./commands/sshCommand.js').then((m) => m.sshCommand),
    'the system ssh into a workspace',
  ],
  agent: [
    () => import('./commands/agentCommand.js').then((m) => m.agentCommand),
    'keep every connected workspace’s pass fresh (foreground)',
  ],
  doctor: [
    () => import('./commands/doctorCommand.js').then((m) => m.doctorCommand),
    'preflight: OpenSSH, endpoint, token, config block, keys, gateway',
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
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? process.stdout : process.stderr).write(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`runcode: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  return (await command[0]())(rest);
}

process.exitCode = await main(process.argv.slice(2));
