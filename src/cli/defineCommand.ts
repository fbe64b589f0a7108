// One shape for every `runcode` subcommand: node:util's parseArgs, usage errors exit 2 with one
// line (what is wrong, a did-you-mean when a flag looks mistyped, and where the help is), a
// RuncodeError prints one line on stderr and exits 1, anything unexpected says so without a stack
// (set RUNCODE_DEBUG=1 for one). Everything echoed is escaped and cut (displayText.ts).
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { closest } from './didYouMean.js';
import { messageLine, shown } from './displayText.js';
import { reportError, UsageError } from './reportError.js';

export { reportError, UsageError };

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec<O extends Options> {
  name: string;
  usage: string;
  options: O;
  /**
   * The positionals (before `--`) allowed: at least `min`, at most `max`; `names` says what each
   * is (`missing NAME`), the last name standing for any further ones.
   */
  positionals?: { min: number; max: number; names?: string[] };
  run(args: {
    values: ParsedValues<O>;
    positionals: string[];
    /** What came after `--`. */
    rest: string[];
  }): Promise<number>;
}

type ParsedValues<O extends Options> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' }
    ? boolean
    : O[K] extends { multiple: true }
      ? string[]
      : string;
};

/** `-w/--workspace NAME`: the workspace a command acts on instead of the attached one. */
export const workspaceOption = { workspace: { type: 'string', short: 'w' } } as const;

export function defineCommand<O extends Options>(spec: CommandSpec<O>): (argv: string[]) => Promise<number> {
  return async (argv) => {
    const dash = argv.indexOf('--');
    const own = dash === -1 ? argv : argv.slice(0, dash);
    const rest = dash === -1 ? [] : argv.slice(dash + 1);
    let values: ParsedValues<O>;
    let positionals: string[];
    const options = { ...spec.options, help: { type: 'boolean', short: 'h' } } as Options;
    try {
      const parsed = parseArgs({ args: own, options, allowPositionals: true, strict: true });
      values = parsed.values as ParsedValues<O>;
      positionals = parsed.positionals;
      if ((parsed.values as { help?: boolean }).help) {
        process.stdout.write(spec.usage);
        return 0;
      }
      const { min, max, names = [] } = spec.positionals ?? { min: 0, max: 0 };
      if (positionals.length < min) {
        const missing = names[Math.min(positionals.length, names.length - 1)];
        throw new UsageError(missing ? `missing ${missing}` : 'missing argument');
      }
      if (positionals.length > max) throw new UsageError(`unexpected argument '${shown(positionals[max]!)}'`);
    } catch (e) {
      const message = e instanceof UsageError ? e.message : parseArgsMessage(e, options);
      process.stderr.write(
        `runcode ${spec.name}: ${messageLine(message)} (see runcode ${spec.name} --help)\n`,
      );
      return 2;
    }
    try {
      return await spec.run({ values, positionals, rest });
    } catch (e) {
      await logCommandError(spec.name, e);
      return reportError(spec.name, e);
    }
  };
}

/** Into the CLI's log as well (loaded only on failure: a command that succeeds pays nothing). */
export async function logCommandError(command: string, e: unknown): Promise<void> {
  await import('../core/logs/processLog.js').then(
    (m) => m.tryLog('cli', 'error', `runcode ${command}:`, e),
    () => undefined,
  );
}

/** parseArgs's own errors, in our words: the flag escaped, and a did-you-mean for a typo. */
export function parseArgsMessage(e: unknown, options: Options): string {
  const err = e as { code?: string; message?: string };
  const message = err.message ?? String(e);
  const flag = /'(-[^']*?)(?: <value>)?'/.exec(message)?.[1] ?? '';
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const known = Object.entries(options).flatMap(([long, o]) => [
      `--${long}`,
      ...(o.short ? [`-${o.short}`] : []),
    ]);
    const bare = flag.split('=')[0]!;
    const guess = closest(bare, known);
    return `unknown option '${shown(bare)}'${guess ? `; did you mean '${guess}'?` : ''}`;
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/argument missing/.test(message)) return `${shown(flag)} needs a value`;
    if (/ambiguous/.test(message)) {
      return `${shown(flag)} needs a value; for one that starts with '-', write ${shown(flag)}=VALUE`;
    }
    if (/does not take an argument/.test(message)) return `${shown(flag.split('=')[0]!)} takes no value`;
  }
  return message;
}

/** Progress for anything that waits: stderr, so stdout stays clean for scripts. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}
