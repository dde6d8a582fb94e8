import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { LAMBDA_FUNCTIONS } from '../../functions/lambda-functions.ts';
import { bundleFunction } from '../support/esbuild-bundle.ts';

const BUDGETS_FILE = new URL('./bundle-budgets.json', import.meta.url);
/** A bundle may grow this much over its budget before the test fails. */
const TOLERANCE = 0.1;
// UPDATE_BUNDLE_BUDGETS=1 writes the sizes measured by this run as the new budgets (see README, Performance).
const UPDATING = process.env.UPDATE_BUNDLE_BUDGETS === '1';

const budgets = JSON.parse(readFileSync(BUDGETS_FILE, 'utf8')) as Record<string, number>;
const measured: Record<string, number> = {};

/**
 * Each function's bundle, built with the options the stack bundles it with, against its committed
 * size in raw bytes: growing more than 10% over it fails, so a dependency that slips into a bundle
 * (and into its cold start) is a decision, taken by raising the budget in the same commit.
 */
describe('the bundle size budgets', () => {
  afterAll(() => {
    if (UPDATING) writeFileSync(BUDGETS_FILE, `${JSON.stringify(measured, null, 2)}\n`);
  });

  it('name every function and no other', () => {
    if (UPDATING) return;
    expect(Object.keys(budgets).sort()).toEqual(LAMBDA_FUNCTIONS.map((fn) => fn.name).sort());
  });

  it.each(LAMBDA_FUNCTIONS.map((fn) => [fn.name, fn] as const))('%s is within 10%% of its budget', async (name, fn) => {
    const { code } = await bundleFunction(fn);
    measured[name] = code.byteLength;
    if (UPDATING) return;
    const budget = budgets[name]!;
    expect(budget, `a budget for ${name} in bundle-budgets.json`).toBeGreaterThan(0);
    expect(code.byteLength, `${name}: ${code.byteLength} bytes against a budget of ${budget}`).toBeLessThanOrEqual(
      Math.floor(budget * (1 + TOLERANCE)),
    );
  });
});
