// What the electron stand-in shares with the test (globalThis.__electronStandIn: the browser to
// open windows in, and this run's recordings) and the error for what it does not model. Each
// launch of main loads the stand-in afresh (register.mjs), this file with it.

/** Shared with the test: the browser to open windows in, and everything recorded. */
export const host = (globalThis.__electronStandIn ??= {});
/** This run's recordings (each launch of main loads this module afresh: register.mjs). */
export const record = {
  windows: [],
  trays: [],
  notifications: [],
  opened: [],
  clipboard: [],
  loginItems: [],
  logs: [],
  /** URLs main was asked about in will-navigate, whatever it answered. */
  navigations: [],
  exitCode: undefined,
};
host.record = record;

export function notModelled(what) {
  return new Error(`electron stand-in: ${what} is not modelled (e2e/electronStandIn/electron.mjs)`);
}
