// The `runcode` command line: a thin front end over core (and `runcode server`).
import { serverCommand } from './serverCommand.js';

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, Command> = {
  server: serverCommand,
};

const USAGE = `usage: runcode <command> [options]

commands:
  server      run the local RunCode server (control plane + SSH gateway)
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`runcode: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  return command(rest);
}

process.exitCode = await main(process.argv.slice(2));
