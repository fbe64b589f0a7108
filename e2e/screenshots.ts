// Light and dark screenshots of the popover's screens. A normal test run writes them under
// test-results/ (so running the tests changes no tracked file); `UPDATE_SCREENSHOTS=1 npm run
// test:e2e` refreshes the committed ones in e2e/screenshots/ (the README shows some).
import path from 'node:path';
import { expect, type Page } from '@playwright/test';

const DIR = process.env.UPDATE_SCREENSHOTS
  ? path.resolve(import.meta.dirname, 'screenshots')
  : path.resolve(import.meta.dirname, '..', 'test-results', 'screenshots');

/** Both color schemes of the current screen; also checks it fits the popover's 360 px width. */
export async function shoot(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({
      path: path.join(DIR, `${name}-${colorScheme}.png`),
      animations: 'disabled',
      caret: 'hide',
    });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  const overflow = await page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
  expect(overflow, `${name} overflows horizontally`).toBeLessThanOrEqual(0);
}
