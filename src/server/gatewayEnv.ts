// Which `env` requests a session honours: locale and terminal description only. Anything that
// changes how programs load or run (PATH, LD_*, BASH_ENV, GIT_*, ...) is refused.
const NAMES = new Set([
  'LANG',
  'LANGUAGE',
  'TERM',
  'COLORTERM',
  'TERM_PROGRAM',
  'TERM_PROGRAM_VERSION',
  'TZ',
  'NO_COLOR',
]);

export const MAX_ENV_VARS = 64;
const MAX_VALUE_LENGTH = 1024;

export function isAllowedEnv(name: string, value: string): boolean {
  if (!NAMES.has(name) && !/^LC_[A-Z]+$/.test(name)) return false;
  // eslint-disable-next-line no-control-regex
  return value.length <= MAX_VALUE_LENGTH && !/[\x00-\x08\x0a-\x1f\x7f]/.test(value);
}
