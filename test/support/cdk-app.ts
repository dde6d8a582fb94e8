import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
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

/**
 * The app as `cdk synth` builds it (infra/discovery-app.ts with cdk.json's context), with some
 * settings overridden; an override of `undefined` removes the setting.
 */
export const synthApp = (overrides: Record<string, unknown> = {}, { bundle = false, outdir }: SynthOptions = {}) => {
  const context = { ...PROJECT_CONTEXT, ...overrides, ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) };
  const { app, stack } = createDiscoveryApp({ context, ...(outdir ? { outdir } : {}) });
  return { app, stack, template: Template.fromStack(stack) };
};
