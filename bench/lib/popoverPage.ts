// The built popover (out/renderer) in Debian's Chromium, over the e2e harness and a scripted
// router with N workspaces: first render, timed keystrokes in the search box, the JS heap.
// Page functions are passed as source text: this file type-checks without the DOM lib.
import type { Page as TestPage } from '@playwright/test';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import config from '../../playwright.config.js';
import { makeWorkspaces } from '../../e2e/fixtures/makeWorkspaces.js';
import { ScriptedRouter } from '../../e2e/fixtures/scriptedRouter.js';
import { openPopover } from '../../e2e/harness.js';
import type { Popover } from '../../e2e/harness.js';
import { filterWorkspaces } from '../../src/renderer/filter.js';

export async function launchChromium(): Promise<Browser> {
  const launch = config.use?.launchOptions ?? {};
  if (!launch.executablePath)
    throw new Error('No Chromium found on PATH (chromium, chromium-browser, google-chrome).');
  // The page is loaded from disk, as Electron's loadFile does (openList): its module script needs
  // file access from a file:// page, which Electron grants its own pages.
  const args = [...(launch.args ?? []), '--allow-file-access-from-files'];
  return chromium.launch({ executablePath: launch.executablePath, args });
}

export interface OpenList {
  page: Page;
  popover: Popover;
  router: ScriptedRouter;
  count: number;
  /** The first rows painted, ms after navigation start (ROWS_PAINTED, set by this bench). */
  firstRender: number;
  /** The first rows in the DOM (React's commit), ms after navigation start. */
  committed: number;
  /**
   * The list call's round trip as the page saw it (its harness transport: a Playwright binding
   * moving every row, where Electron's IPC takes a few ms), ms; undefined without the marks.
   */
  listTransport: number | undefined;
  /**
   * Time between the first paint (the Loading screen) and the first rows painted during which the
   * page waited on a harness call (the union of the calls' round trips: session, ui state, the
   * lists), ms, and how many calls that was.
   */
  harnessWait: { ms: number; calls: number };
  /** The last harness answer before the first rows painted, ms after navigation start. */
  lastAnswer: number;
  /**
   * Main-thread CPU (thread time, so not inflated by waiting) spent until the first rows were
   * painted, ms: JavaScript (ours, React's, and the harness's small bridge), layout, style.
   */
  cpu: { script: number; layout: number; style: number };
  /** DOMContentLoaded, ms after navigation start (scripts loaded and run). */
  dcl: number;
  close(): Promise<void>;
}

const ROWS_COMMITTED = 'bench:rows-committed';
const ROWS_PAINTED = 'bench:rows-painted';

/**
 * Runs in the page before its scripts: marks when the first workspace row enters the DOM (React's
 * commit) and when the frame that shows it has been painted (a task posted from the next
 * animation frame runs after that frame's paint). The renderer carries no benchmark code.
 */
const MARK_FIRST_ROWS = `(() => {
  let painted;
  window.__benchRowsPainted = new Promise((resolve) => (painted = resolve));
  const seen = new MutationObserver(() => {
    if (!document.querySelector('[role=listitem]')) return;
    seen.disconnect();
    performance.mark('${ROWS_COMMITTED}');
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => painted(performance.mark('${ROWS_PAINTED}'));
      ch.port2.postMessage(0);
    });
  });
  seen.observe(document, { childList: true, subtree: true });
})();`;

/** A fresh page showing `count` workspaces; resolves once its first rows have been painted. */
export async function openList(
  browser: Browser,
  count: number,
  opts: { rendererDir?: string; load?: 'http' | 'file' } = {},
): Promise<OpenList> {
  const router = new ScriptedRouter({ workspaces: makeWorkspaces(count) });
  const page = await browser.newPage({ viewport: { width: 360, height: 520 } });
  await page.addInitScript({ content: MARK_FIRST_ROWS });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const popover = await openPopover(page as unknown as TestPage, router, { load: 'file', ...opts });
  // Awaits the page's own promise: polling for the mark would add script time of its own.
  await page.evaluate('window.__benchRowsPainted.then(() => undefined)');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? Number.NaN) * 1000;
  const t = await page.evaluate<{
    dcl: number;
    committed: number;
    painted: number;
    fcp?: number;
    calls: [name: string, start: number, end: number][];
  }>(`(() => {
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime;
    const calls = performance
      .getEntriesByType('mark')
      .filter((m) => /^runcode:invoke:.*:start$/.test(m.name))
      .map((m) => [m.name.slice(15, -6), m.startTime, at(m.name.slice(0, -5) + 'end')]);
    return {
      dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
      committed: at('${ROWS_COMMITTED}'),
      painted: at('${ROWS_PAINTED}'),
      fcp: performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint')?.startTime,
      calls,
    };
  })()`);
  const list = t.calls.find(([name]) => name === 'workspaces:list');
  const answers = t.calls.map(([, , end]) => end).filter((end) => end !== undefined && end < t.painted);
  return {
    page,
    popover,
    router,
    count,
    firstRender: t.painted,
    committed: t.committed,
    listTransport: list?.[2] !== undefined ? list[2] - list[1] : undefined,
    // Only from the first paint (the Loading screen) on: before it the page is busy loading and
    // mounting, so a call in flight then overlaps our own work and is not counted as waiting.
    harnessWait: waitedOn(t.calls, t.fcp ?? t.painted, t.painted),
    lastAnswer: Math.max(...answers),
    cpu: {
      script: metric('ScriptDuration'),
      layout: metric('LayoutDuration'),
      style: metric('RecalcStyleDuration'),
    },
    dcl: t.dcl,
    close: async () => {
      await popover.close();
      router.dispose();
      await page.close();
    },
  };
}

/** The union of the calls' [start, end] intervals, clipped to [from, until]; calls counted that overlap it. */
export function waitedOn(
  calls: readonly [name: string, start: number, end: number | undefined][],
  from: number,
  until: number,
): { ms: number; calls: number } {
  const spans = calls
    .map(([, start, end]) => [Math.max(start, from), Math.min(end ?? until, until)] as const)
    .filter(([start, end]) => start < end)
    .sort((a, b) => a[0] - b[0]);
  let ms = 0;
  let reach = -Infinity;
  for (const [start, end] of spans) {
    if (end <= reach) continue;
    ms += end - Math.max(start, reach);
    reach = end;
  }
  return { ms, calls: spans.length };
}

/**
 * In the page: set the search box's value as typing does, and time event -> React commit ->
 * layout. Each step checks the shown count against `filterWorkspaces`, so a render that had not
 * happened yet cannot pass for a fast one.
 */
export async function keystrokes(list: OpenList, values: string[]): Promise<number[]> {
  const all = makeWorkspaces(list.count);
  const expected = values.map((v) => filterWorkspaces(all, v, 'all').length);
  const { times, wrong } = await list.page.evaluate<{ times: number[]; wrong: string[] }>(`(async () => {
    const values = ${JSON.stringify(values)};
    const expected = ${JSON.stringify(expected)};
    const input = document.querySelector('input[type=search]');
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    const times = [];
    const wrong = [];
    for (let i = 0; i < values.length; i++) {
      const t0 = performance.now();
      setValue.call(input, values[i]);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      // React flushes a discrete update at the end of the event (or in a microtask).
      await Promise.resolve();
      document.body.getBoundingClientRect(); // style + layout
      times.push(performance.now() - t0);
      const shown = Number(document.querySelector('[data-count]')?.dataset.count ?? 0);
      if (shown !== expected[i]) wrong.push(values[i] + ': ' + shown + ' != ' + expected[i]);
      // Let a frame go out before the next key, as a person's typing would.
      await new Promise((r) => setTimeout(r, 20));
    }
    return { times, wrong };
  })()`);
  if (wrong.length) throw new Error(`the list did not show the filtered rows: ${wrong.join('; ')}`);
  return times;
}

/**
 * In the page: `times` pushed workspaces:changed events, each the whole list as new objects (as
 * core sends it), timed event -> React commit -> layout, ms each.
 */
export async function pushedUpdates(list: OpenList, times: number): Promise<number[]> {
  return list.page.evaluate<number[]>(`(async () => {
    const rows = await window.runcode.workspacesList();
    const out = [];
    for (let i = 0; i < ${times}; i++) {
      const fresh = rows.map((x) => ({ ...x, updatedAt: new Date(Date.now() + i).toISOString() }));
      const t0 = performance.now();
      window.__runcodeDispatch('workspaces:changed', fresh);
      await Promise.resolve();
      document.body.getBoundingClientRect();
      out.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
    return out;
  })()`);
}

/** Typed one character at a time, then erased one at a time. */
export function typing(query: string): string[] {
  const up = Array.from({ length: query.length }, (_, i) => query.slice(0, i + 1));
  const down = up.slice(0, -1).reverse().concat('');
  return [...up, ...down];
}

/** The queries the filter figures type (after a warm-up word). */
export const QUERIES = ['billing-gateway', 'payments 00'];

/** The page's JS heap in use after a full GC (CDP), in bytes. */
export async function heapUsed(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize;
  } finally {
    await cdp.detach();
  }
}

export async function throttleCpu(page: Page, rate: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
}
