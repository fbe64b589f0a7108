// The `runcode` command line: a thin front end over core (and `runcode server`).
import { agentCommand } from './commands/agentCommand.js';
import { configSshCommand } from './commands/configSshCommand.js';
import { connectCommand } from './commands/connectCommand.js';
import { disconnectCommand } from './commands/disconnectCommand.js';
import { doctorCommand } from './commands/doctorCommand.js';
import { execCommand } from './commands/execCommand.js';
import { getCommand } from './commands/getCommand.js';
import { listCommand } from './commands/listCommand.js';
import { loginCommand } from './commands/loginCommand.js';
import { logoutCommand } from './commands/logoutCommand.js';
import { openCommand } from './commands/openCommand.js';
import { portForwardCommand } from './commands/portForwardCommand.js';
import { putCommand } from './commands/putCommand.js';
import { sshCommand } from './commands/sshCommand.js';
import { startCommand } from './commands/startCommand.js';
import { stopCommand } from './commands/stopCommand.js';
import { serverCommand } from './serverCommand.js';

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, [Command, string]> = {
  login: [loginCommand, 'authorize this machine in the browser and save a token'],
  logout: [logoutCommand, 'revoke and delete everything this machine holds'],
  list: [listCommand, 'list your workspaces (running ones are SSH-connectable)'],
  start: [startCommand, 'boot a stopped workspace'],
  stop: [stopCommand, 'power a workspace down'],
  connect: [connectCommand, 'attach a workspace: fresh key, pass and `Host runcode.NAME` entry'],
  disconnect: [disconnectCommand, 'detach a workspace'],
  'config-ssh': [configSshCommand, 'write (or --remove) the ssh config block'],
  'port-forward': [portForwardCommand, 'forward workspace ports to 127.0.0.1 until Ctrl-C'],
  open: [openCommand, 'open a workspace in your editor (or --print the URL)'],
  exec: [execCommand, 'run one command in a workspace'],
  put: [putCommand, 'upload a file to a workspace'],
  get: [getCommand, 'download a file from a workspace'],
  ssh: [sshCommand, 'the system ssh into a workspace'],
  agent: [agentCommand, 'keep every connected workspace’s pass fresh (foreground)'],
  doctor: [doctorCommand, 'preflight: OpenSSH, endpoint, token, config block, keys, gateway'],
  server: [serverCommand, 'run the local RunCode server (control plane + SSH gateway)'],
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
  return command[0](rest);
}

process.exitCode = await main(process.argv.slice(2));
