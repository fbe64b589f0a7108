// What a promise that should fail failed with: the test fails unless it is a RuncodeError.
import { expect } from 'vitest';
import { isRuncodeError, RuncodeError } from '../errors.js';

const rejection = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (err: unknown) => err,
  );

/** The RuncodeError `p` rejects with. */
export async function refusal(p: Promise<unknown>): Promise<RuncodeError> {
  const e = await rejection(p);
  expect(e).toBeInstanceOf(RuncodeError);
  return e as RuncodeError;
}

/** `{ code, message }` of the RuncodeError `p` rejects with (as IPC and the CLI carry it). */
export async function refusalInfo(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const e = await rejection(p);
  expect(isRuncodeError(e), String(e)).toBe(true);
  return { code: (e as { code: string }).code, message: (e as Error).message };
}
