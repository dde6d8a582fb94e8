import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The tests StrykerJS runs against each mutant: the unit and integration tests (not the harness and
 * infra tests, which start child processes and synthesise CDK and never import a mutant's code
 * directly). The globalSetup (DynamoDB Local) is inherited: the vitest runner drives Vitest's own
 * API, so it starts once per Stryker worker and is stopped when the worker ends.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
      // The npm test JSON report is not wanted for every mutant.
      reporters: ['default'],
      outputFile: {},
    },
  }),
);
