// Numeric flags, validated: `--timeout abc` is a usage error, never silently the default.
import { UsageError } from './defineCommand.js';
import { shown } from './displayText.js';

/** `--NAME S` in seconds (a plain decimal number in [min, max]) as milliseconds; `fallback` when absent. */
export function secondsFlag(
  name: string,
  value: string | undefined,
  o: { fallback: number; min?: number; max?: number },
): number {
  const { fallback, min = 1, max = 3600 } = o;
  if (value === undefined) return fallback * 1000;
  const n = /^\d{1,7}(\.\d{1,3})?$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) {
    throw new UsageError(
      `--${name} must be a number of seconds from ${min} to ${max} (not '${shown(value, 20)}')`,
    );
  }
  return Math.round(n * 1000);
}

/** `--NAME N`, a whole number in [min, max] written as plain digits; `fallback` when absent. */
export function wholeNumberFlag(
  name: string,
  value: string | undefined,
  o: { fallback: number; min?: number; max?: number },
): number {
  const { fallback, min = 0, max = 1_000_000 } = o;
  if (value === undefined) return fallback;
  const n = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) {
    throw new UsageError(
      `--${name} must be a whole number from ${min} to ${max} (not '${shown(value, 20)}')`,
    );
  }
  return n;
}
