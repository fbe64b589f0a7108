// The log of this process, one per kind, opened on first use under the state dir (a CLI command
// that never logs never loads the logging library).
import { stateDir } from '../paths.js';
import type { LogKind, Logger } from './logger.js';
import { createLogger } from './logger.js';

const open = new Map<string, Logger>();

export function processLogger(kind: LogKind, dir: string = stateDir()): Logger {
  const key = `${kind}:${dir}`;
  let log = open.get(key);
  if (!log) {
    log = createLogger({ stateDir: dir, kind });
    open.set(key, log);
  }
  return log;
}

/** Logs without ever throwing: a full disk or an unwritable state dir must not fail a command. */
export function tryLog(kind: LogKind, level: 'error' | 'warn' | 'info', ...args: unknown[]): void {
  try {
    processLogger(kind)[level](...args);
  } catch {
    // logging is best effort
  }
}
