import { join } from 'node:path';
import { apiDocument } from '../../functions/openapi/api-document.ts';
import { REPO_ROOT } from './local-paths.ts';

/**
 * Where the API document is committed: beside the code rather than among the test fixtures, because it
 * is a product of the repository: the local harness serves it, the stack can publish it, and clients
 * generate code from it.
 */
export const API_DOCUMENT_FILE = join(REPO_ROOT, 'functions', 'openapi-document', 'matcher-discovery.json');

/** The document as `npm run openapi` writes it, byte for byte. */
export const apiDocumentText = (): string => `${JSON.stringify(apiDocument(), null, 2)}\n`;
