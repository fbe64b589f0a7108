// A test that needs an optional system tool (rsync, OpenSSH's sftp-server) calls requireTool()
// first: where the tool is missing the test is skipped with the reason and the install command
// (listed again at the end of the run by skipSummaryReporter), or, under RUNCODE_TEST_STRICT=1
// (CI), it fails, so CI never passes by skipping.
import { TestRunner } from 'vitest';
import { isStrict, missingReason } from '../../../scripts/systemTools.mjs';
import type { ToolName } from '../../../scripts/systemTools.mjs';

/** Call inside a test or a beforeEach: skips (or, strict, fails) the current test if a tool is missing. */
export function requireTool(...names: ToolName[]): void {
  const reasons = names.map((n) => missingReason(n)).filter((r): r is string => r !== undefined);
  if (!reasons.length) return;
  const reason = reasons.join('; ');
  if (isStrict()) throw new Error(`${reason} (RUNCODE_TEST_STRICT=1: a missing prerequisite fails)`);
  const test = TestRunner.getCurrentTest();
  if (!test) throw new Error(`requireTool() outside a test: ${reason}`);
  test.context.skip(reason);
}
