import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { contextSettings } from './context-settings.ts';
import { DiscoveryStack } from './discovery-stack.ts';

export const STACK_NAME = 'MatcherDiscovery';

/**
 * The CDK app: one environment-agnostic stack configured from context (no lookups, so synth needs
 * no AWS credentials and no network), checked by the cdk-nag AwsSolutions pack.
 */
export const createDiscoveryApp = (props: AppProps = {}): { app: App; stack: DiscoveryStack } => {
  const app = new App(props);
  const stack = new DiscoveryStack(app, STACK_NAME, { settings: contextSettings(app.node) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
};
