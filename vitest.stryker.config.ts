import { defineConfig } from 'vitest/config';
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
 * The tests StrykerJS runs against each mutant: the unit and integration tests (not the infra tests,
 * which synthesise CDK, nor the contract and IAM checks, which judge a whole run). One project of
 * them, with the suite's environment and DynamoDB Local (the globalSetup runs once per Stryker worker).
 */
const { projects: _suiteProjects, ...shared } = base.test ?? {};

export default defineConfig({
  test: {
    ...shared,
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/log-sink.ts'],
    // The npm test JSON report is not wanted for every mutant.
    reporters: ['default'],
    outputFile: {},
    sequence: { sequencer: KillFastFirst },
  },
});
