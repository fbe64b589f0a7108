import { describe, it, expect } from 'vitest';
import { isApiError } from '../shared/contract.js';
import { cleanMessage, describeFailure, friendlyError } from './friendlyError.js';

describe('friendlyError', () => {
  it('maps known codes to actionable text', () => {
    expect(friendlyError({ code: 'not_running', message: 'workspace api is stopped' })).toBe(
      'Start the workspace first.',
    );
    expect(friendlyError({ code: 'insecure_endpoint', message: 'x' })).toMatch(/https:\/\//);
  });
  it('keeps messages that name the field', () => {
    expect(friendlyError({ code: 'invalid_argument', message: 'defaultEditor: unknown editor "vim"' })).toBe(
      'defaultEditor: unknown editor "vim"',
    );
  });
  it('falls back to the first line of an unknown error, never a stack', () => {
    const e = new Error('boom happened');
    e.message = 'boom happened\n    at foo (file.js:1:1)\n    at bar';
    expect(friendlyError(e)).toBe('boom happened');
    expect(friendlyError({ code: 'weird', message: 'Error: x\n    at y' })).toBe('Error: x');
    expect(friendlyError({ code: 'weird', message: '' })).toBe('Something went wrong (weird).');
    expect(friendlyError('a string')).toBe('Something went wrong.');
    expect(friendlyError(null)).toBe('Something went wrong.');
  });
  it('caps long messages', () => {
    expect(cleanMessage('x'.repeat(500))).toHaveLength(200);
  });
  it('prefixes the action', () => {
    expect(describeFailure("Couldn't start api", { code: 'unreachable', message: '' })).toMatch(
      /^Couldn't start api: Can't reach RunCode/,
    );
  });
  it('recognises ApiError objects', () => {
    expect(isApiError({ code: 'a', message: 'b' })).toBe(true);
    expect(isApiError({ code: 1, message: 'b' })).toBe(false);
    expect(isApiError(undefined)).toBe(false);
  });
});
