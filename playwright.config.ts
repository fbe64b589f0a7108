import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { findChromium, isStrict, missingReason } from './scripts/systemTools.mjs';

// Debian's Chromium (Playwright's own browser download cannot happen here, nor should it), found
// the way the preflight finds it. Where there is none, the specs that need it skip with the
// reason (e2e/requireChromium.ts); under RUNCODE_TEST_STRICT=1 (CI) the run fails here instead.
const chromium = findChromium();
if (!chromium && isStrict()) {
  throw new Error(`${missingReason('chromium')} (RUNCODE_TEST_STRICT=1: a missing prerequisite fails)`);
}

// As in vitest.config.ts: the local servers' workspace commands get an empty HOME of their own, so a
// developer's ~/.bashrc (read by `bash -c` over SSH) cannot stall them.
process.env.RUNCODE_SERVER_HOME ??= mkdtempSync(path.join(os.tmpdir(), 'runcode-test-home-'));

export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  workers: 1,
  reporter: [['list'], ['./e2e/skipSummaryReporter.ts']],
  use: {
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
      ],
    },
    viewport: { width: 360, height: 520 },
  },
});
