import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, vi } from 'vitest';
import { createDiscoveryApp } from '../../infra/discovery-app.ts';

/** cdk.json's context: the feature flags and the example settings `npm run synth` uses. */
export const PROJECT_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

export const SECRET_ARNS = {
  jwt: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:matcher/jwt-hmac-AbCdEf',
  fetcherToken: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:matcher/fetcher-token-GhIjKl',
};

export const VPC = { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'] };

export interface SynthOptions {
  /** Bundle the functions with esbuild (slow-ish); off unless a test needs the real asset. */
  bundle?: boolean;
  outdir?: string;
}

// A synth of the whole stack with cdk-nag takes seconds, and tens of them on a loaded 2-core machine.
vi.setConfig({ testTimeout: 120_000 });

// Without an outdir the CDK makes a cdk.out* folder in the system temp dir and leaves it there: each
// synth here gets one, removed once the test file that imported this module is done.
const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
export const temporaryOutdir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'matcher-discovery-synth-'));
  outdirs.push(dir);
  return dir;
};

/**
 * The app as `cdk synth` builds it (infra/discovery-app.ts with cdk.json's context), with some
 * settings overridden; an override of `undefined` removes the setting.
 */
export const synthApp = (overrides: Record<string, unknown> = {}, { bundle = false, outdir }: SynthOptions = {}) => {
  // cdk.json's example values stand in for a deployment's: on purpose here.
  const context = { ...PROJECT_CONTEXT, allowPlaceholders: true, ...overrides, ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) };
  const { app, stack } = createDiscoveryApp({ context, outdir: outdir ?? temporaryOutdir() });
  return { app, stack, template: Template.fromStack(stack) };
};
