// Loads the built popover (out/renderer) in a Playwright page with `window.runcode` wired to a
// RouterPort: calls through `page.exposeBinding`, events pushed with `page.evaluate`. The same
// shape as the preload (one named function per channel, rejecting with the ApiError object),
// so the renderer cannot tell the difference.
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from '@playwright/test';
import { CHANNELS, EVENTS, listenerName, methodName, type RouterPort } from '../src/shared/contract.js';

export const RENDERER_DIR = path.resolve(import.meta.dirname, '../out/renderer');

export interface PopoverOptions {
  /** The built renderer; default out/renderer (run `npx electron-vite build` first). */
  rendererDir?: string;
  colorScheme?: 'light' | 'dark';
  /**
   * How the page is loaded: `http` (default) from a static server on 127.0.0.1, or `file`, from
   * disk as Electron's `loadFile` does (the browser needs --allow-file-access-from-files for the
   * module script, as the Electron stand-in's does; see launchChromium in bench/lib/popoverPage.ts).
   */
  load?: 'http' | 'file';
}

export interface Popover {
  url: string;
  /** Console errors, page errors and CSP violations seen so far (a clean run leaves it empty). */
  problems: string[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** A tiny static server for one directory, on 127.0.0.1 and a free port. */
export async function serveDir(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    // Chromium asks for a favicon that Electron never does: answer it quietly.
    if (pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = path.join(root, pathname === '/' ? 'index.html' : pathname);
    if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface BridgeNames {
  calls: [channel: string, method: string][];
  events: [event: string, listener: string][];
}

/** Runs in the page before its scripts: the preload's `window.runcode`, over the binding. */
function installBridge({ calls, events }: BridgeNames): void {
  type Invoke = (channel: string, arg: unknown) => Promise<string>;
  type Result = { ok: boolean; value?: unknown; error?: unknown };
  // This file type-checks without the DOM lib (tsconfig.node.json): reach the page's globals
  // through globalThis.
  const w = globalThis as unknown as Record<string, unknown> & { document: EventTarget };
  const listeners = new Map<string, Set<(payload: unknown) => void>>(events.map(([e]) => [e, new Set()]));
  const bridge: Record<string, unknown> = {};
  for (const [channel, method] of calls) {
    bridge[method] = async (arg?: unknown) => {
      // Marks for bench/lib/popoverPage.ts: how long a call spent in this harness's transport
      // (a Playwright binding, far slower than Electron's IPC for a large list).
      const perf = (globalThis as unknown as { performance: { mark(n: string): void } }).performance;
      perf.mark(`runcode:invoke:${channel}:start`);
      const result = JSON.parse(await (w.__runcodeInvoke as Invoke)(channel, arg)) as Result;
      perf.mark(`runcode:invoke:${channel}:end`);
      if (result && result.ok) return result.value;
      throw result?.error ?? { code: 'internal', message: 'The router sent no result.' };
    };
  }
  for (const [event, name] of events) {
    bridge[name] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError(`${name} needs a function`);
      listeners.get(event)!.add(listener);
      return () => void listeners.get(event)!.delete(listener);
    };
  }
  Object.defineProperty(w, 'runcode', { value: Object.freeze(bridge), enumerable: true });
  Object.defineProperty(w, '__runcodeDispatch', {
    value: (event: string, payload: unknown) => {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
  });
  // Chromium logs CSP violations itself; this makes them impossible to miss.
  w.document.addEventListener('securitypolicyviolation', (e) => {
    const v = e as Event & { violatedDirective: string; blockedURI: string };
    console.error(`CSP violation: ${v.violatedDirective} blocked ${v.blockedURI || 'inline'}`);
  });
}

export async function openPopover(
  page: Page,
  router: RouterPort,
  opts: PopoverOptions = {},
): Promise<Popover> {
  const root = opts.rendererDir ?? RENDERER_DIR;
  if (!existsSync(path.join(root, 'index.html'))) {
    throw new Error(`${root}/index.html is missing: build the renderer first (npx electron-vite build).`);
  }
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy|CSP violation/i.test(m.text()))
      problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

  const server =
    opts.load === 'file'
      ? { url: pathToFileURL(path.join(root, 'index.html')).href, close: async () => undefined }
      : await serveDir(root);
  // The answer crosses as one JSON string: Playwright's own serializer walks a large value
  // (2,000 workspaces) node by node on both sides, for hundreds of ms of CPU that Electron's
  // structured clone does not spend. The router's answers are plain JSON data.
  await page.exposeBinding('__runcodeInvoke', async (_source, channel: string, arg: unknown) =>
    JSON.stringify(await router.invoke(channel, arg)),
  );
  const names: BridgeNames = {
    calls: CHANNELS.map((c) => [c, methodName(c)]),
    events: EVENTS.map((e) => [e, listenerName(e)]),
  };
  // As source text, with a no-op `__name`: under tsx (esbuild keepNames) the function's source
  // calls a helper that does not exist in the page.
  await page.addInitScript({
    content: `(() => { const __name = (f) => f; (${installBridge.toString()})(${JSON.stringify(names)}); })();`,
  });
  const unsubscribe = router.subscribe((event, payload) => {
    page
      .evaluate(
        ([e, p]) =>
          (
            globalThis as unknown as { __runcodeDispatch?: (e: string, p: unknown) => void }
          ).__runcodeDispatch?.(e, p),
        [event, payload] as const,
      )
      // The page may be navigating or closed; it seeds itself from list calls on load.
      .catch(() => undefined);
  });
  if (opts.colorScheme) await page.emulateMedia({ colorScheme: opts.colorScheme });
  await page.goto(server.url);
  return {
    url: server.url,
    problems,
    async close() {
      unsubscribe();
      await server.close();
    },
  };
}

/** A workspace's row in the popover's list, by its exact name. */
export const row = (page: Page, name: string) =>
  page.getByRole('listitem').filter({ has: page.getByTitle(name, { exact: true }) });
