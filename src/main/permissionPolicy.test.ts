import { describe, expect, it } from 'vitest';
import { allowPermission } from './permissionPolicy.js';

const page = 'file:///app/out/renderer/index.html';
const policy = { expectedId: 3, allowedOrigins: [page] };
const ours = { webContentsId: 3, requestingUrl: page, isMainFrame: true };

describe('allowPermission', () => {
  it('lets our page write to the clipboard', () => {
    expect(allowPermission('clipboard-sanitized-write', ours, policy)).toBe(true);
  });

  it('refuses every other permission, even to our page', () => {
    for (const p of [
      'clipboard-read',
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'hid',
      'serial',
      'usb',
      'fullscreen',
      'pointerLock',
      'display-capture',
      'unknown',
    ]) {
      expect(allowPermission(p, ours, policy), p).toBe(false);
    }
  });

  it('refuses the clipboard to another window, another page, a subframe, or before the window exists', () => {
    const p = 'clipboard-sanitized-write';
    expect(allowPermission(p, { ...ours, webContentsId: 4 }, policy)).toBe(false);
    expect(allowPermission(p, { ...ours, webContentsId: undefined }, policy)).toBe(false);
    expect(allowPermission(p, { ...ours, requestingUrl: 'https://evil.example/' }, policy)).toBe(false);
    expect(allowPermission(p, { ...ours, requestingUrl: undefined }, policy)).toBe(false);
    expect(allowPermission(p, { ...ours, isMainFrame: false }, policy)).toBe(false);
    expect(allowPermission(p, ours, { ...policy, expectedId: undefined })).toBe(false);
  });
});
