import { defineConfig, mergeConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import base from './vitest.config.ts';

/**
 * Against each mutant, the files most likely to kill it quickly run first (Stryker stops at the first
 * failure): a file that failed for an earlier mutant, then unit tests, then the shortest. Vitest's own
 * order is the reverse (longest first), which makes every killed mutant wait for the slowest files.
 */
class KillFastFirst extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cached = (spec: TestSpecification) => this.ctx.cache.getTestSpecificationResult(spec);
    const rank = (spec: TestSpecification) => [
      cached(spec)?.failed ? 0 : 1,
      spec.moduleId.includes('/test/unit/') ? 0 : 1,
      cached(spec)?.duration ?? 0,
    ];
    return Promise.resolve(
      [...files].sort((a, b) => {
        const [ra, rb] = [rank(a), rank(b)];
        return ra.map((value, i) => value - rb[i]!).find((difference) => difference !== 0) ?? 0;
      }),
    );
  }
}

/**
 * The tests StrykerJS runs against each mutant: the unit and integration tests (not the harness and
 * infra tests, which start child processes and synthesise CDK). The globalSetup (DynamoDB Local) is
 * inherited: the vitest runner drives Vitest's own API, which runs it once per Stryker worker.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
      // The npm test JSON report is not wanted for every mutant.
      reporters: ['default'],
      outputFile: {},
      sequence: { sequencer: KillFastFirst },
    },
  }),
);
