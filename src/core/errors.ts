import type { ErrorCode } from '../shared/errorCodes.js';

export type { ErrorCode };

/**
 * Every failure the user can meet is a RuncodeError: a stable `code` for programs, and a
 * message a person can act on. Never a stack trace in the UI.
 */
export class RuncodeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RuncodeError';
  }
}

export function isRuncodeError(e: unknown): e is RuncodeError {
  return e instanceof RuncodeError;
}

/** `{code, message}` for IPC, JSON output and the CLI's one-line reason. */
export function toErrorInfo(e: unknown): { code: ErrorCode; message: string } {
  if (e instanceof RuncodeError) return { code: e.code, message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message };
}
