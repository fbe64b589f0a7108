// The end-of-run list of skipped tests, grouped by reason. Vitest's reporter
// (src/core/testing/skipSummaryReporter.ts) prints its own and, inside `npm test`, leaves it in
// SKIPS_FILE so Playwright's (e2e/skipSummaryReporter.ts), which runs last, ends the whole run with
// everything skipped in both; the preflight clears the file at the start of `npm test`.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SKIPS_FILE = path.resolve(import.meta.dirname, '../node_modules/.cache/runcode-test-skips.json');

/** Inside `npm test` (not a lone `vitest` or `playwright test`, whose file could be stale). */
const inNpmTest = () => process.env.npm_lifecycle_event === 'test';

export function clearSkips() {
  rmSync(SKIPS_FILE, { force: true });
}

/** skips: [{ suite: 'Vitest' | 'Playwright', test: string, reason: string }] */
export function saveSkips(skips) {
  if (!inNpmTest()) return;
  mkdirSync(path.dirname(SKIPS_FILE), { recursive: true });
  writeFileSync(SKIPS_FILE, JSON.stringify(skips));
}

export function loadSkips() {
  if (!inNpmTest()) return [];
  try {
    return JSON.parse(readFileSync(SKIPS_FILE, 'utf8'));
  } catch {
    return [];
  }
}

/** Lines of the summary: one line per reason, then the tests it skipped (at most 8 named). */
export function formatSkips(skips, title) {
  if (!skips.length) return [`${title}: nothing skipped`];
  const byReason = new Map();
  for (const s of skips) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s]);
  const lines = [`${title}: ${skips.length} skipped`];
  for (const [reason, list] of byReason) {
    lines.push(`  ${list.length} x ${reason}`);
    for (const s of list.slice(0, 8)) lines.push(`      ${s.suite}: ${s.test}`);
    if (list.length > 8) lines.push(`      ... and ${list.length - 8} more`);
  }
  return lines;
}
