// How a failed command ends: one line on stderr and its exit status (2 for a usage error, else 1),
// never a stack unless RUNCODE_DEBUG is set. Apart from defineCommand.ts so that `runcode exec`'s
// fast path (execFastPath.ts) reports exactly as every command does without loading the rest.
import { isRuncodeError } from '../core/errors.js';
import { messageLine } from './displayText.js';

export class UsageError extends Error {}

export function reportError(command: string, e: unknown): number {
  if (e instanceof UsageError) {
    process.stderr.write(`runcode ${command}: ${messageLine(e.message)}\n`);
    return 2;
  }
  if (isRuncodeError(e)) {
    process.stderr.write(`runcode: ${messageLine(e.message)}\n`);
  } else {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`runcode ${command}: unexpected error: ${messageLine(message)}\n`);
  }
  if (process.env.RUNCODE_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return 1;
}
