import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    projects: [
      {
        test: {
          name: 'tests',
          include: ['test/**/*.test.ts'],
          // Not 0: vitest runs a one-worker project of order 0 last, as its own group.
          sequence: { groupOrder: 1 },
          exclude: ['test/iam/**'],
          globalSetup: ['test/support/global-setup.ts'],
          // Logs on at every level, so every logging path runs; test/support/log-sink.ts keeps them quiet.
          // POWERTOOLS_METRICS_NAMESPACE: what the stack sets in AWS, so EMF lines look the same here.
          env: { POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_METRICS_NAMESPACE: 'MatcherDiscovery' },
          // record-aws-calls.ts: every AWS call the functions make, for test/iam/.
          setupFiles: ['test/support/log-sink.ts', 'test/support/record-aws-calls.ts'],
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The IAM check judges the calls every other test made, so it runs once they are all done.
        test: {
          name: 'iam',
          include: ['test/iam/**/*.test.ts'],
          sequence: { groupOrder: 2 },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
