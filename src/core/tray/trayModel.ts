// What the tray icon and its menu show: computed in core (the tray controller gathers the facts),
// drawn by main's tray. One definition so the two cannot drift.

/** Every state of the tray icon. */
export const TRAY_STATES = ['signed-out', 'idle', 'running', 'attention'] as const;

export type TrayState = (typeof TRAY_STATES)[number];

export interface TrayMenuModel {
  workspaces: { name: string; state: string; connected: boolean }[];
  /** A downloaded update waiting for a restart (its version). */
  updateReady?: string;
}

/** What the icon depends on, gathered from the tray's parts. */
export interface TrayFacts {
  signedIn: boolean;
  forwardFailed: boolean;
  /** A workspace's link has been down for longer than the grace. */
  linkDown: boolean;
  /** A pass could not be renewed. */
  renewalFailing: boolean;
  /** Neither the stream nor a list call reaches the server. */
  offline: boolean;
  running: boolean;
}

/** Anything wrong wins over running, running over idle. */
export function trayStateOf(f: TrayFacts): TrayState {
  if (!f.signedIn) return 'signed-out';
  if (f.forwardFailed || f.linkDown || f.renewalFailing || f.offline) return 'attention';
  return f.running ? 'running' : 'idle';
}
