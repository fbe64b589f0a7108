// A Playwright reporter that ends the run with every skipped spec and why (the description given
// to test.skip()), after the skips Vitest reported earlier in the same `npm test`, so the last
// thing a newcomer's run prints is everything it could not check.
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { formatSkips, loadSkips } from '../scripts/skipSummary.mjs';
import type { Skip } from '../scripts/skipSummary.mjs';

export default class SkipSummaryReporter implements Reporter {
  private readonly skips: Skip[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'skipped') return;
    const note = test.annotations.find((a) => a.type === 'skip')?.description;
    const file = test.location.file.replace(`${process.cwd()}/`, '');
    this.skips.push({
      suite: 'Playwright',
      test: `${file} > ${test.titlePath().slice(3).join(' > ') || test.title}`,
      reason: note || `skipped by a condition in ${file} (no reason given)`,
    });
  }

  onEnd(_result: FullResult): void {
    const all = [...loadSkips(), ...this.skips];
    const title =
      all.length > this.skips.length ? 'Skipped in this run (Vitest and Playwright)' : 'Playwright';
    console.log(`\n${formatSkips(all, title).join('\n')}`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
