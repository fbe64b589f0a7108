// Specs that drive the popover in Chromium start with
// `test.skip(!!noChromium, noChromium)`: where no Chromium is installed they skip with the
// reason and the install command (playwright.config.ts fails the run instead under
// RUNCODE_TEST_STRICT=1).
import { missingReason } from '../scripts/systemTools.mjs';

/** Why the browser specs cannot run here, or undefined when a Chromium was found. */
export const noChromium = missingReason('chromium');
