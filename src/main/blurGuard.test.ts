import { describe, expect, it } from 'vitest';
import { BlurGuard } from './blurGuard.js';

describe('BlurGuard', () => {
  it('opens on a click, unless the window was just hidden by the blur that click caused', () => {
    const g = new BlurGuard(250);
    expect(g.shouldOpenOnClick(1000)).toBe(true);
    g.hiddenByBlur(2000);
    expect(g.shouldOpenOnClick(2100)).toBe(false);
    expect(g.shouldOpenOnClick(2250)).toBe(false);
    expect(g.shouldOpenOnClick(2251)).toBe(true);
  });
});
