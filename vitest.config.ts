import { defineConfig } from 'vitest/config';

// The contract test reads the answers every other test recorded (reports/responses), so it runs after
// them: groups run in groupOrder. Not 0: with one worker (2 cores), vitest runs group 0 last.
const CONTRACT = 'test/contract/**/*.test.ts';

export default defineConfig({
  test: {
    // Synthesising the stack takes seconds, and more on a busy 2-core machine; no test waits this long when it passes.
    testTimeout: 60_000,
    // Logs on at every level, so every logging path runs; test/support/log-sink.ts keeps them quiet.
    // POWERTOOLS_METRICS_NAMESPACE: what the stack sets in AWS, so EMF lines look the same here.
    env: { POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_METRICS_NAMESPACE: 'MatcherDiscovery' },
    setupFiles: ['test/support/log-sink.ts'],
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['test/**/*.test.ts'],
          exclude: [CONTRACT],
          globalSetup: ['test/support/global-setup.ts'],
          sequence: { groupOrder: 1 },
        },
      },
      { extends: true, test: { name: 'contract', include: [CONTRACT], sequence: { groupOrder: 2 } } },
    ],
  },
});
