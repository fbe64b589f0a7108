// One log per process kind (the tray's main process, the CLI and its agent, the local server)
// under <state>/logs, written by electron-log's Node flavour (no Electron needed, so core and the
// CLI share it), rotated by size (one older file is kept), with levels, and redacted here at the
// logger: every argument passes through the process-wide Redactor before it reaches a file.
import fs from 'node:fs';
import path from 'node:path';
import { formatWithOptions } from 'node:util';
import electronLog from 'electron-log/node';
import { redact } from './redact.js';

export type LogKind = 'tray' | 'cli' | 'server';
export const LOG_KINDS: readonly LogKind[] = ['tray', 'cli', 'server'];
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** A log file's size before it is rotated to `<kind>.old.log`. */
export const LOG_MAX_BYTES = 1024 * 1024;

export const logsDir = (stateDir: string) => path.join(stateDir, 'logs');
export const logFile = (stateDir: string, kind: LogKind) => path.join(logsDir(stateDir), `${kind}.log`);
/** The current file first, then its rotated predecessor, for each kind that has one. */
export function logFiles(stateDir: string): string[] {
  return LOG_KINDS.flatMap((k) => {
    const f = logFile(stateDir, k);
    return [f, f.replace(/\.log$/, '.old.log')];
  }).filter((f) => fs.existsSync(f));
}

export interface Logger {
  readonly file: string;
  error(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  info(...args: unknown[]): void;
  debug(...args: unknown[]): void;
}

export interface LoggerOptions {
  stateDir: string;
  kind: LogKind;
  /** Lowest level written. Default `info` (`RUNCODE_LOG_LEVEL=debug` for more). */
  level?: LogLevel;
  maxBytes?: number;
}

/** Joins the arguments as console.log would (errors with their stack) and redacts the result. */
export function formatRedacted(args: readonly unknown[]): string {
  return redact(formatWithOptions({ depth: 4, breakLength: Infinity }, ...args));
}

export function createLogger(o: LoggerOptions): Logger {
  const dir = logsDir(o.stateDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = logFile(o.stateDir, o.kind);
  // One electron-log instance per file (instances are kept by id process-wide).
  const log = electronLog.create({ logId: `runcode:${file}` });
  log.transports.console.level = false;
  const f = log.transports.file;
  f.level = o.level ?? envLevel() ?? 'info';
  f.maxSize = o.maxBytes ?? LOG_MAX_BYTES;
  f.resolvePathFn = () => file;
  f.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' };
  f.format = '[{y}-{m}-{d} {h}:{i}:{s}.{ms}] [{level}] {text}';
  // The one place text reaches the file: redact every message as a whole (so a key split over
  // arguments is still caught).
  log.hooks.length = 0;
  log.hooks.push((message) => ({ ...message, data: [formatRedacted(message.data)] }));
  return {
    file,
    error: (...a) => log.error(...a),
    warn: (...a) => log.warn(...a),
    info: (...a) => log.info(...a),
    debug: (...a) => log.debug(...a),
  };
}

function envLevel(): LogLevel | undefined {
  const v = process.env.RUNCODE_LOG_LEVEL;
  return v === 'error' || v === 'warn' || v === 'info' || v === 'debug' ? v : undefined;
}
