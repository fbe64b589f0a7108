import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tools/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The skip summary ends the run: every test skipped (a missing rsync, sftp-server, keychain) and why.
    reporters: ['default', './src/core/testing/skipSummaryReporter.ts'],
  },
});
