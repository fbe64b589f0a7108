// The built popover (out/renderer) in Debian's Chromium, over the e2e harness and a scripted
// router with N workspaces: first render, timed keystrokes in the search box, the JS heap.
// Page functions are passed as source text: this file type-checks without the DOM lib.
import type { Page as TestPage } from '@playwright/test';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import config from '../../playwright.config.js';
import { makeWorkspaces, ScriptedRouter } from '../../e2e/fixtures/scriptedRouter.js';
import { openPopover } from '../../e2e/harness.js';
import type { Popover } from '../../e2e/harness.js';
import { filterWorkspaces } from '../../src/renderer/filter.js';

export async function launchChromium(): Promise<Browser> {
  const launch = config.use?.launchOptions ?? {};
  if (!launch.executablePath)
    throw new Error('No Chromium found on PATH (chromium, chromium-browser, google-chrome).');
  return chromium.launch({ executablePath: launch.executablePath, args: launch.args ?? [] });
}

export interface OpenList {
  page: Page;
  popover: Popover;
  router: ScriptedRouter;
  count: number;
  /** The list committed, ms after navigation start (the renderer's `runcode:list-rendered` mark). */
  firstRender: number;
  /**
   * The list call's round trip as the page saw it (its harness transport: a Playwright binding
   * moving every row, where Electron's IPC takes a few ms), ms; undefined without the marks.
   */
  listTransport: number | undefined;
  /** DOMContentLoaded, ms after navigation start (scripts loaded and run). */
  dcl: number;
  /** The workspaces:list call: reached the router / answer sent, ms after navigation start. */
  listCall: { start?: number; end?: number };
  close(): Promise<void>;
}

/** A fresh page showing `count` workspaces; resolves once the list has rendered. */
export async function openList(browser: Browser, count: number): Promise<OpenList> {
  const router = new ScriptedRouter({ workspaces: makeWorkspaces(count) });
  const page = await browser.newPage({ viewport: { width: 360, height: 520 } });
  const listCall: { start?: number; end?: number } = {};
  const invoke = router.invoke.bind(router);
  router.invoke = async (channel, arg) => {
    if (channel === 'workspaces:list') listCall.start = performance.timeOrigin + performance.now();
    const result = await invoke(channel, arg);
    if (channel === 'workspaces:list') listCall.end = performance.timeOrigin + performance.now();
    return result;
  };
  const popover = await openPopover(page as unknown as TestPage, router);
  await page.waitForFunction(() => performance.getEntriesByName('runcode:list-rendered').length > 0);
  const t = await page.evaluate<{
    origin: number;
    dcl: number;
    rendered: number;
    listStart?: number;
    listEnd?: number;
  }>(`({
    origin: performance.timeOrigin,
    dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
    rendered: performance.getEntriesByName('runcode:list-rendered')[0].startTime,
    listStart: performance.getEntriesByName('runcode:invoke:workspaces:list:start')[0]?.startTime,
    listEnd: performance.getEntriesByName('runcode:invoke:workspaces:list:end')[0]?.startTime,
  })`);
  const rel = (x: number | undefined) => (x === undefined ? undefined : x - t.origin);
  return {
    page,
    popover,
    router,
    count,
    firstRender: t.rendered,
    listTransport: t.listStart !== undefined && t.listEnd !== undefined ? t.listEnd - t.listStart : undefined,
    dcl: t.dcl,
    listCall: { start: rel(listCall.start), end: rel(listCall.end) },
    close: async () => {
      await popover.close();
      router.dispose();
      await page.close();
    },
  };
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
