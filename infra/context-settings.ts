import type { Node } from 'constructs';
import { CONTEXT_KEYS, type DiscoverySettings } from './discovery-settings.ts';

/** The settings given as CDK context (cdk.json "context", or -c key=value); validated by the construct. */
export const contextSettings = (node: Node): DiscoverySettings => {
  const settings: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) {
    const value: unknown = node.tryGetContext(key);
    if (value !== undefined) settings[key] = value;
  }
  return settings as DiscoverySettings;
};
