import { createSecretReader } from '../adapters/secrets.ts';
import { resolveConfig } from '../config.ts';
import { createConnectionHandler } from './create-connection-handler.ts';

/**
 * Lambda entry point for POST /v1/discovery/connections. Configuration, and any secret it names, is
 * read once at cold start (top-level await: the init phase waits for it, no request ever does).
 */
export const handler = createConnectionHandler(await resolveConfig(createSecretReader()));
