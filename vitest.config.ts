import { defineConfig } from 'vitest/config';

// Two checks judge what the rest of the suite left behind, so they run after it (groups run in
// groupOrder; not 0: with one worker, vitest runs group 0 last, as its own group):
// - the contract test reads the answers every other test recorded (reports/responses);
// - the IAM check judges the AWS calls every other test made (test/support/record-aws-calls.ts).
const CONTRACT = 'test/contract/**/*.test.ts';
const IAM = 'test/iam/**/*.test.ts';

export default defineConfig({
  test: {
    // Synthesising the stack takes seconds, and more on a busy 2-core machine; no test waits this long when it passes.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Logs on at every level, so every logging path runs; test/support/log-sink.ts keeps them quiet.
    // POWERTOOLS_METRICS_NAMESPACE: what the stack sets in AWS, so EMF lines look the same here.
    env: { POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_METRICS_NAMESPACE: 'MatcherDiscovery' },
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['test/**/*.test.ts'],
          exclude: [CONTRACT, IAM],
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/log-sink.ts', 'test/support/record-aws-calls.ts'],
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: { name: 'contract', include: [CONTRACT], setupFiles: ['test/support/log-sink.ts'], sequence: { groupOrder: 2 } },
      },
      {
        extends: true,
        test: { name: 'iam', include: [IAM], setupFiles: ['test/support/log-sink.ts'], sequence: { groupOrder: 3 }, hookTimeout: 120_000 },
      },
    ],
  },
});
