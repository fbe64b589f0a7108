import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appPaths } from './appPaths.js';
import { isTrustedSender } from './trustedSender.js';

const packaged = {
  mainDir: '/opt/RunCode Tray/resources/app.asar/out/main',
  isPackaged: true,
  resourcesPath: '/opt/RunCode Tray/resources',
};

describe('appPaths', () => {
  it('finds the bundle beside out/main and the tray icons in resources when packaged', () => {
    const p = appPaths(packaged);
    expect(p.rendererIndex).toBe('/opt/RunCode Tray/resources/app.asar/out/renderer/index.html');
    expect(p.preload).toBe('/opt/RunCode Tray/resources/app.asar/out/preload/index.cjs');
    expect(p.trayIconDir).toBe('/opt/RunCode Tray/resources/tray');
    expect(p.sandboxEntry).toBe('/opt/RunCode Tray/resources/app.asar/out/main/sandbox.js');
    expect(p.allowedOrigins).toEqual([
      'file:///opt/RunCode%20Tray/resources/app.asar/out/renderer/index.html',
    ]);
  });

  it('never honours ELECTRON_RENDERER_URL in a packaged app', () => {
    const p = appPaths({ ...packaged, devServerUrl: 'http://localhost:5173/' });
    expect(p.devServerUrl).toBeUndefined();
    expect(p.allowedOrigins).toHaveLength(1);
  });

  it('in development: assets from the checkout, and a local dev server only', () => {
    const dev = { mainDir: '/src/app/out/main', isPackaged: false, resourcesPath: '/x' };
    expect(appPaths(dev).trayIconDir).toBe(path.resolve('/src/app/assets/tray'));
    expect(appPaths(dev).devCli).toBe(path.resolve('/src/app/dist/cli/index.js'));
    const p = appPaths({ ...dev, devServerUrl: 'http://localhost:5173/' });
    expect(p.devServerUrl).toBe('http://localhost:5173/');
    expect(p.allowedOrigins).toContain('http://localhost:5173');
    expect(
      isTrustedSender(
        { frameUrl: 'http://localhost:5173/index.html', isMainFrame: true, webContentsId: 1 },
        { expectedId: 1, allowedOrigins: p.allowedOrigins },
      ).ok,
    ).toBe(true);
    for (const bad of [
      'https://evil.example/',
      'http://evil.example:5173/',
      'file:///etc/passwd',
      'nonsense',
    ]) {
      expect(appPaths({ ...dev, devServerUrl: bad }).devServerUrl, bad).toBeUndefined();
    }
  });
});
