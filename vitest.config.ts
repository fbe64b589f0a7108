import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tools/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Local servers started side by side seed their demo page on any free port, not all on 8080
    // (free when one seeds, taken by another's by the time it starts: 'port 8080 is already in use').
    env: { RUNCODE_DEMO_PORT: '0' },
    // The skip summary ends the run: every test skipped (a missing rsync, sftp-server, keychain) and why.
    reporters: ['default', './src/core/testing/skipSummaryReporter.ts'],
  },
});
