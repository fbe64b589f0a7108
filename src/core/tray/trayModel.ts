// What the tray icon and its menu show: computed by the tray controller (core), drawn by main's
// tray. One definition so the two cannot drift.

/** Every state of the tray icon. */
export const TRAY_STATES = ['signed-out', 'idle', 'running', 'attention'] as const;

export type TrayState = (typeof TRAY_STATES)[number];

export interface TrayMenuModel {
  workspaces: { name: string; state: string; connected: boolean }[];
  /** A downloaded update waiting for a restart (its version). */
  updateReady?: string;
}
