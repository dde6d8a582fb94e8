import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Synthesising the stack takes seconds, and more on a busy 2-core machine; no test waits this long when it passes.
    testTimeout: 60_000,
    // Logs on at every level, so every logging path runs; test/support/log-sink.ts keeps them quiet.
    // POWERTOOLS_METRICS_NAMESPACE: what the stack sets in AWS, so EMF lines look the same here.
    env: { POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_METRICS_NAMESPACE: 'MatcherDiscovery' },
    setupFiles: ['test/support/log-sink.ts'],
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
