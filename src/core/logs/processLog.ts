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
  tryLogIn(stateDir(), kind, level, ...args);
}

/** tryLog into the logs of a given state dir (the tray's core knows its own). */
export function tryLogIn(
  dir: string,
  kind: LogKind,
  level: 'error' | 'warn' | 'info',
  ...args: unknown[]
): void {
  try {
    processLogger(kind, dir)[level](...args);
  } catch {
    // logging is best effort
  }
}
