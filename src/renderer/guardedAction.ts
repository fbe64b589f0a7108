// The one way a popover action calls core: marked busy while it runs (a second click is
// ignored), and a failure becomes one notice in our words instead of a thrown error.
import type { UiState } from './popoverUi.js';

export interface Guard {
  /** Why it failed, as the notice begins: "Couldn't sign out". */
  failure: string;
  /** Marks `busy[key]` while it runs; a call while that key is busy resolves undefined at once. */
  busy?: string;
  /**
   * A failure the action answers itself (return true: no notice), e.g. a cancelled sign-in is
   * quiet, a missing ssh-config opt-in asks a question.
   */
  handle?: (e: unknown) => boolean | Promise<boolean>;
}

export type GuardedAction = <T>(guard: Guard, fn: () => Promise<T>) => Promise<T | undefined>;

type Busy = Pick<UiState, 'busy'>;

export function createGuardedAction(
  get: () => Busy,
  set: (update: (s: Busy) => Busy) => void,
  fail: (failure: string, e: unknown) => void,
): GuardedAction {
  return async (guard, fn) => {
    const key = guard.busy;
    if (key !== undefined) {
      if (get().busy[key]) return undefined;
      set((s) => ({ busy: { ...s.busy, [key]: true } }));
    }
    try {
      return await fn();
    } catch (e) {
      if (!(await guard.handle?.(e))) fail(guard.failure, e);
      return undefined;
    } finally {
      if (key !== undefined) {
        set((s) => {
          const next = { ...s.busy };
          delete next[key];
          return { busy: next };
        });
      }
    }
  };
}
