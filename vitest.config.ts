import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

/** One fresh, empty HOME (0700) for the workspace commands of every local server the tests start. */
function serverHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-test-home-'));
}

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tools/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Local servers started side by side seed their demo page on any free port, not all on 8080
    // (free when one seeds, taken by another's by the time it starts: 'port 8080 is already in use'),
    // and their workspace commands get an empty HOME of their own: `bash -c` over SSH reads
    // ~/.bashrc, and a developer's (a pyenv init waiting on a stale lock) must not stall them.
    env: { RUNCODE_DEMO_PORT: '0', RUNCODE_SERVER_HOME: serverHome() },
    // The skip summary ends the run: every test skipped (a missing rsync, sftp-server, keychain) and why.
    reporters: ['default', './src/core/testing/skipSummaryReporter.ts'],
  },
});
