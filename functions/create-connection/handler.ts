import { loadConfig } from '../config.ts';
import { createConnectionHandler } from './create-connection-handler.ts';

/** Lambda entry point for POST /v1/discovery/connections; configuration is read once, at cold start. */
export const handler = createConnectionHandler(loadConfig());
