import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { contextSettings } from './context-settings.ts';
import { DiscoverySettingsError } from './discovery-settings.ts';
import { DiscoveryStack } from './discovery-stack.ts';
import { placeholdersIn } from './placeholders.ts';

export const STACK_NAME = 'MatcherDiscovery';

/**
 * The CDK app: one environment-agnostic stack configured from context (no lookups, so synth needs
 * no AWS credentials and no network), checked by the cdk-nag AwsSolutions pack. It deploys to the
 * account and region of the CLI's credentials. Example values are refused unless the context says
 * `allowPlaceholders` (npm run synth does, to show the template of a fresh clone).
 */
export const createDiscoveryApp = (props: AppProps = {}): { app: App; stack: DiscoveryStack } => {
  const app = new App(props);
  const settings = contextSettings(app.node);
  const allowPlaceholders = [true, 'true'].includes(app.node.tryGetContext('allowPlaceholders') as boolean | string);
  const placeholders = allowPlaceholders ? [] : placeholdersIn(settings);
  if (placeholders.length) throw new DiscoverySettingsError(placeholders);
  const stack = new DiscoveryStack(app, STACK_NAME, { settings });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
};
