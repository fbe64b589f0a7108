// One shape for every `runcode` subcommand: node:util's parseArgs, usage errors exit 2, a
// RuncodeError prints one line on stderr and exits 1, anything unexpected says so without a stack
// (set RUNCODE_DEBUG=1 for one).
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { isRuncodeError } from '../core/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export class UsageError extends Error {}

export interface CommandSpec<O extends Options> {
  name: string;
  usage: string;
  options: O;
  /** How many positionals (before `--`) are allowed. */
  positionals?: { min: number; max: number };
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

export function defineCommand<O extends Options>(spec: CommandSpec<O>): (argv: string[]) => Promise<number> {
  return async (argv) => {
    const dash = argv.indexOf('--');
    const own = dash === -1 ? argv : argv.slice(0, dash);
    const rest = dash === -1 ? [] : argv.slice(dash + 1);
    let values: ParsedValues<O>;
    let positionals: string[];
    try {
      const parsed = parseArgs({
        args: own,
        options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
        allowPositionals: true,
        strict: true,
      });
      values = parsed.values as ParsedValues<O>;
      positionals = parsed.positionals;
      if ((parsed.values as { help?: boolean }).help) {
        process.stdout.write(spec.usage);
        return 0;
      }
      const { min, max } = spec.positionals ?? { min: 0, max: 0 };
      if (positionals.length < min) throw new UsageError('missing argument');
      if (positionals.length > max) throw new UsageError(`unexpected argument '${positionals[max]}'`);
    } catch (e) {
      process.stderr.write(`runcode ${spec.name}: ${(e as Error).message}\n\n${spec.usage}`);
      return 2;
    }
    try {
      return await spec.run({ values, positionals, rest });
    } catch (e) {
      return reportError(spec.name, e);
    }
  };
}

export function reportError(command: string, e: unknown): number {
  if (e instanceof UsageError) {
    process.stderr.write(`runcode ${command}: ${e.message}\n`);
    return 2;
  }
  if (isRuncodeError(e)) {
    process.stderr.write(`runcode: ${e.message}\n`);
  } else {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`runcode ${command}: unexpected error: ${message}\n`);
  }
  if (process.env.RUNCODE_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return 1;
}

/** Progress for anything that waits: stderr, so stdout stays clean for scripts. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}
