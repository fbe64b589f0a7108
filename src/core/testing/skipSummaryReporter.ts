// A Vitest reporter that ends the run with every skipped test and why (the note given to
// ctx.skip(), e.g. by requireTool()), so a run on a machine without rsync says exactly what it
// could not check. A skip without a note is listed as such: every skip should say why.
import type { Reporter, TestModule } from 'vitest/node';
import { formatSkips, saveSkips } from '../../../scripts/skipSummary.mjs';
import type { Skip } from '../../../scripts/skipSummary.mjs';

export default class SkipSummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const skips: Skip[] = [];
    for (const mod of modules) {
      for (const test of mod.children.allTests('skipped')) {
        const result = test.result();
        const note = result.state === 'skipped' ? result.note : undefined;
        const reason = note ?? `skipped by a condition in ${mod.relativeModuleId} (no reason given)`;
        skips.push({ suite: 'Vitest', test: `${mod.relativeModuleId} > ${test.fullName}`, reason });
      }
    }
    saveSkips(skips);
    process.stdout.write(`\n${formatSkips(skips, 'Vitest').join('\n')}\n`);
  }
}
