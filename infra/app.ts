import { createDiscoveryApp } from './discovery-app.ts';
import { DiscoverySettingsError } from './discovery-settings.ts';

// `npx cdk synth|deploy` runs this file (cdk.json); the CLI synthesises the app when it exits.
// A setting that cannot work is the operator's to fix: one line per problem, no stack trace.
try {
  createDiscoveryApp();
} catch (error) {
  if (!(error instanceof DiscoverySettingsError)) throw error;
  process.stderr.write(`Invalid matcher-discovery settings (cdk.json "context", or -c key=value):\n`);
  for (const problem of error.problems) process.stderr.write(`  ${problem}\n`);
  process.exit(1);
}
