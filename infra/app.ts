import { createDiscoveryApp } from './discovery-app.ts';

// `npx cdk synth|deploy` runs this file (cdk.json); the CLI synthesises the app when it exits.
createDiscoveryApp();
