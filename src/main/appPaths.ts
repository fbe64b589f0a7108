// Where the built pieces are, from the directory of out/main/index.js. Pure, so the rules are
// tested: the dev server URL (ELECTRON_RENDERER_URL, set by `electron-vite dev`) is honoured only in
// an unpackaged app, never in a shipped one, where an environment variable must not be able to
// point the window at a remote page.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface AppPathsInput {
  /** The directory of the running main bundle (out/main). */
  mainDir: string;
  isPackaged: boolean;
  /** process.resourcesPath (where extraResources land in a packaged app). */
  resourcesPath: string;
  /** process.env.ELECTRON_RENDERER_URL */
  devServerUrl?: string | undefined;
}

export interface AppPaths {
  rendererIndex: string;
  preload: string;
  trayIconDir: string;
  /** The sandbox server entry built beside main (out/main/sandbox.js)... */
  sandboxEntry: string;
  /** ...or, in a development checkout without it, the built CLI (`runcode server`). */
  devCli: string;
  /** Set only in development: load the renderer from the dev server. */
  devServerUrl?: string;
  /** For isTrustedSender: the bundled page, plus the dev server origin in development. */
  allowedOrigins: string[];
}

function devUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const u = new URL(raw);
    // electron-vite's dev server is local plain http; anything else is not what `dev` sets.
    if (u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) return u.href;
  } catch {
    // not a URL: ignore it
  }
  return undefined;
}

export function appPaths(i: AppPathsInput): AppPaths {
  const out = path.resolve(i.mainDir, '..');
  const rendererIndex = path.join(out, 'renderer', 'index.html');
  const dev = i.isPackaged ? undefined : devUrl(i.devServerUrl);
  return {
    rendererIndex,
    preload: path.join(out, 'preload', 'index.cjs'),
    trayIconDir: i.isPackaged
      ? path.join(i.resourcesPath, 'tray')
      : path.resolve(out, '..', 'assets', 'tray'),
    sandboxEntry: path.join(i.mainDir, 'sandbox.js'),
    devCli: path.resolve(out, '..', 'dist', 'cli', 'index.js'),
    ...(dev ? { devServerUrl: dev } : {}),
    allowedOrigins: [pathToFileURL(rendererIndex).href, ...(dev ? [new URL(dev).origin] : [])],
  };
}
