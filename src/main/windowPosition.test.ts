import { describe, expect, it } from 'vitest';
import type { Rect, WindowPositionInput } from './windowPosition.js';
import { getWindowPosition, hasTrayBounds, taskbarEdge } from './windowPosition.js';

const SIZE = { width: 360, height: 520 };
const FHD: Rect = { x: 0, y: 0, width: 1920, height: 1080 };

function place(o: Partial<WindowPositionInput> & Pick<WindowPositionInput, 'trayBounds' | 'workArea'>) {
  return getWindowPosition({ windowSize: SIZE, displayBounds: FHD, platform: 'win32', ...o });
}

/** The window lies wholly inside the work area. */
function inside(p: { x: number; y: number }, w: Rect): boolean {
  return p.x >= w.x && p.y >= w.y && p.x + SIZE.width <= w.x + w.width && p.y + SIZE.height <= w.y + w.height;
}

describe('taskbarEdge', () => {
  it('finds the edge the work area was cut from', () => {
    const base = { displayBounds: FHD, platform: 'win32' as const };
    expect(taskbarEdge({ ...base, workArea: { x: 0, y: 0, width: 1920, height: 1040 } })).toBe('bottom');
    expect(taskbarEdge({ ...base, workArea: { x: 0, y: 40, width: 1920, height: 1040 } })).toBe('top');
    expect(taskbarEdge({ ...base, workArea: { x: 62, y: 0, width: 1858, height: 1080 } })).toBe('left');
    expect(taskbarEdge({ ...base, workArea: { x: 0, y: 0, width: 1858, height: 1080 } })).toBe('right');
  });

  it('is always the menu bar on macOS, even with the Dock on the left', () => {
    expect(
      taskbarEdge({
        platform: 'darwin',
        displayBounds: FHD,
        workArea: { x: 80, y: 25, width: 1840, height: 1055 },
      }),
    ).toBe('top');
  });

  it('with nothing cut (auto-hide), uses the edge nearest the anchor, else the platform default', () => {
    const base = { displayBounds: FHD, workArea: FHD };
    expect(taskbarEdge({ ...base, platform: 'win32', anchor: { x: 1900, y: 1070 } })).toBe('bottom');
    expect(taskbarEdge({ ...base, platform: 'linux', anchor: { x: 5, y: 500 } })).toBe('left');
    expect(taskbarEdge({ ...base, platform: 'linux', anchor: { x: 1000, y: 3 } })).toBe('top');
    expect(taskbarEdge({ ...base, platform: 'win32' })).toBe('bottom');
    expect(taskbarEdge({ ...base, platform: 'linux' })).toBe('top');
  });
});

describe('getWindowPosition', () => {
  it('Windows, taskbar at the bottom: above the icon, centred on it', () => {
    const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
    const p = place({ workArea, trayBounds: { x: 1700, y: 1045, width: 24, height: 30 } });
    expect(p).toEqual({ x: 1532, y: 1040 - 520 - 4 });
    expect(inside(p, workArea)).toBe(true);
  });

  it('taskbar at the top: below the icon', () => {
    const workArea = { x: 0, y: 40, width: 1920, height: 1040 };
    const p = place({ workArea, trayBounds: { x: 1000, y: 5, width: 24, height: 30 } });
    expect(p).toEqual({ x: 1012 - 180, y: 44 });
  });

  it('taskbar on the left: beside the icon, vertically centred on it', () => {
    const workArea = { x: 62, y: 0, width: 1858, height: 1080 };
    const p = place({ workArea, trayBounds: { x: 10, y: 600, width: 40, height: 40 } });
    expect(p).toEqual({ x: 66, y: 620 - 260 });
  });

  it('taskbar on the right: to the left of the icon', () => {
    const workArea = { x: 0, y: 0, width: 1858, height: 1080 };
    const p = place({ workArea, trayBounds: { x: 1870, y: 300, width: 40, height: 40 } });
    expect(p).toEqual({ x: 1858 - 360 - 4, y: 320 - 260 });
  });

  it('clamps an icon in the corner so the window stays on screen', () => {
    const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
    const p = place({ workArea, trayBounds: { x: 1900, y: 1045, width: 20, height: 30 } });
    expect(p.x).toBe(1920 - 360);
    expect(inside(p, workArea)).toBe(true);
    const left = place({
      workArea: { x: 62, y: 0, width: 1858, height: 1080 },
      trayBounds: { x: 10, y: 1060, width: 40, height: 20 },
    });
    expect(left.y).toBe(1080 - 520);
  });

  it('macOS menu bar: under the bar, centred on the icon', () => {
    const workArea = { x: 0, y: 25, width: 1440, height: 875 };
    const p = getWindowPosition({
      platform: 'darwin',
      windowSize: SIZE,
      displayBounds: { x: 0, y: 0, width: 1440, height: 900 },
      workArea,
      trayBounds: { x: 1200, y: 0, width: 22, height: 24 },
    });
    expect(p).toEqual({ x: 1031, y: 29 });
  });

  it('a secondary display left of the primary (negative x) with its own taskbar', () => {
    const displayBounds = { x: -1280, y: 0, width: 1280, height: 1024 };
    const workArea = { x: -1280, y: 0, width: 1280, height: 984 };
    const p = getWindowPosition({
      platform: 'win32',
      windowSize: SIZE,
      displayBounds,
      workArea,
      trayBounds: { x: -100, y: 990, width: 24, height: 30 },
    });
    expect(p).toEqual({ x: -1280 + 1280 - 360, y: 984 - 520 - 4 });
    expect(inside(p, workArea)).toBe(true);
  });

  it('a display above the primary (negative y), taskbar at its top', () => {
    const displayBounds = { x: 200, y: -1080, width: 1920, height: 1080 };
    const workArea = { x: 200, y: -1040, width: 1920, height: 1040 };
    const p = getWindowPosition({
      platform: 'linux',
      windowSize: SIZE,
      displayBounds,
      workArea,
      trayBounds: { x: 1500, y: -1075, width: 24, height: 24 },
    });
    expect(p).toEqual({ x: 1512 - 180, y: -1040 + 4 });
    expect(inside(p, workArea)).toBe(true);
  });

  it('a scaled display with fractional bounds gives whole pixels', () => {
    const workArea = { x: 0, y: 0, width: 1706.67, height: 1066.67 };
    const p = getWindowPosition({
      platform: 'win32',
      windowSize: SIZE,
      displayBounds: { x: 0, y: 0, width: 1706.67, height: 1097.33 },
      workArea,
      trayBounds: { x: 1500.33, y: 1070.5, width: 21.33, height: 26.67 },
    });
    expect(Number.isInteger(p.x) && Number.isInteger(p.y)).toBe(true);
    expect(inside(p, { ...workArea, width: workArea.width + 0.5, height: workArea.height + 0.5 })).toBe(true);
  });

  it('Linux with no tray bounds (0,0,0,0): anchors to the pointer', () => {
    const workArea = { x: 0, y: 27, width: 1920, height: 1053 };
    const zero = { x: 0, y: 0, width: 0, height: 0 };
    expect(hasTrayBounds(zero)).toBe(false);
    const p = getWindowPosition({
      platform: 'linux',
      windowSize: SIZE,
      displayBounds: FHD,
      workArea,
      trayBounds: zero,
      cursor: { x: 1800, y: 10 },
    });
    // Centred on the pointer, clamped to the right edge, under the top panel.
    expect(p).toEqual({ x: 1920 - 360, y: 27 + 4 });
  });

  it('no tray bounds and no pointer: the corner on the taskbar side', () => {
    const zero = { x: 0, y: 0, width: 0, height: 0 };
    const bottom = { x: 0, y: 0, width: 1920, height: 1040 };
    expect(place({ workArea: bottom, trayBounds: zero })).toEqual({ x: 1920 - 360 - 4, y: 1040 - 520 - 4 });
    const left = { x: 62, y: 0, width: 1858, height: 1080 };
    expect(place({ workArea: left, trayBounds: zero })).toEqual({ x: 66, y: 4 });
  });

  it('a window larger than the work area starts at its origin', () => {
    const workArea = { x: 0, y: 0, width: 320, height: 400 };
    const p = getWindowPosition({
      platform: 'win32',
      windowSize: SIZE,
      displayBounds: { x: 0, y: 0, width: 320, height: 440 },
      workArea,
      trayBounds: { x: 300, y: 405, width: 16, height: 30 },
    });
    expect(p).toEqual({ x: 0, y: 0 });
  });
});
