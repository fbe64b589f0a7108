// How fresh a pass must be to be used as it is. Below this, the CLI and the tray's "Open in editor"
// renew it first: five minutes outlive a short command or an editor's first connect.

/** A pass with less than this left is renewed before it is used. */
export const FRESH_ENOUGH_MS = 5 * 60_000;
