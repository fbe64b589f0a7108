// Where the popover goes: next to the tray icon, on whichever edge the taskbar/menu bar sits, kept
// inside the display's work area. A pure function (menubar's getWindowPosition) so every layout is
// a unit test; popoverWindow.ts feeds it Electron's screen and tray values.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export type TaskbarEdge = 'top' | 'bottom' | 'left' | 'right';

export interface WindowPositionInput {
  /** tray.getBounds(). May be all zeros (see below). */
  trayBounds: Rect;
  windowSize: { width: number; height: number };
  /** The work area of the display the tray is on (screen minus taskbar/menu bar/dock). */
  workArea: Rect;
  /** That display's full bounds. */
  displayBounds: Rect;
  platform: NodeJS.Platform;
  /** The pointer, used where the tray's bounds are unknown. */
  cursor?: Point;
}

/** Pixels between the tray/taskbar and the window. */
const GAP = 4;

/**
 * Linux (StatusNotifierItem/AppIndicator) reports no tray bounds: tray.getBounds() is 0,0,0,0,
 * and on some desktops a cached, stale rectangle. An empty rectangle means "unknown".
 */
export function hasTrayBounds(r: Rect): boolean {
  return r.width > 0 && r.height > 0;
}

/** Which edge of the display the taskbar is on, from where the work area was cut. */
export function taskbarEdge(
  input: Pick<WindowPositionInput, 'workArea' | 'displayBounds' | 'platform'> & {
    anchor?: Point;
  },
): TaskbarEdge {
  const { workArea: w, displayBounds: d, platform, anchor } = input;
  if (platform === 'darwin') return 'top'; // the menu bar; the Dock never holds status items
  const cut = {
    top: w.y - d.y,
    bottom: d.y + d.height - (w.y + w.height),
    left: w.x - d.x,
    right: d.x + d.width - (w.x + w.width),
  };
  const edges = Object.entries(cut) as [TaskbarEdge, number][];
  const [biggest, size] = edges.reduce((a, b) => (b[1] > a[1] ? b : a));
  if (size > 0) return biggest;
  // No cut (an auto-hiding taskbar, a Linux panel that reserves no strut): the edge nearest the
  // tray icon or pointer; without either, the platform's usual place.
  if (anchor) {
    const dist: [TaskbarEdge, number][] = [
      ['top', anchor.y - d.y],
      ['bottom', d.y + d.height - anchor.y],
      ['left', anchor.x - d.x],
      ['right', d.x + d.width - anchor.x],
    ];
    return dist.reduce((a, b) => (b[1] < a[1] ? b : a))[0];
  }
  return platform === 'win32' ? 'bottom' : 'top';
}

function clamp(v: number, min: number, max: number): number {
  // A window bigger than the work area starts at its origin rather than off screen.
  return Math.max(min, Math.min(v, max));
}

/** The window's top-left corner, in screen coordinates (may be negative on a secondary display). */
export function getWindowPosition(input: WindowPositionInput): Point {
  const { trayBounds: t, windowSize: s, workArea: w } = input;
  const known = hasTrayBounds(t);
  const anchor: Point | undefined = known ? { x: t.x + t.width / 2, y: t.y + t.height / 2 } : input.cursor;
  const edge = taskbarEdge({ ...input, ...(anchor ? { anchor } : {}) });
  const right = w.x + w.width;
  const bottom = w.y + w.height;
  let x: number;
  let y: number;
  if (!anchor) {
    // Nothing to anchor to: the work area's corner on the taskbar's side, at the right end.
    x = edge === 'left' ? w.x + GAP : right - s.width - GAP;
    y = edge === 'bottom' ? bottom - s.height - GAP : w.y + GAP;
  } else if (edge === 'top' || edge === 'bottom') {
    x = anchor.x - s.width / 2;
    y =
      edge === 'top'
        ? Math.max(w.y, known ? t.y + t.height : w.y) + GAP
        : Math.min(bottom, known ? t.y : bottom) - s.height - GAP;
  } else {
    y = anchor.y - s.height / 2;
    x =
      edge === 'left'
        ? Math.max(w.x, known ? t.x + t.width : w.x) + GAP
        : Math.min(right, known ? t.x : right) - s.width - GAP;
  }
  // Clamp into the work area so no part hides under the taskbar or falls off a display edge...
  x = clamp(x, w.x, right - s.width);
  y = clamp(y, w.y, bottom - s.height);
  // ...and round: Electron's setPosition takes integers (a fraction fails its argument conversion),
  // and fractional tray bounds on scaled HiDPI displays plus the centring above produce them.
  return { x: Math.round(x), y: Math.round(y) };
}
