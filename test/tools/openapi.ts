/**
 * `npm run openapi`: writes the OpenAPI 3.1 document generated from the code to
 * functions/openapi-document/matcher-discovery.json. `--check` writes nothing and exits 1 when the committed file differs.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { API_DOCUMENT_FILE, apiDocumentText } from './api-document-file.ts';
import { REPO_ROOT } from './local-paths.ts';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
const text = apiDocumentText();
const shown = relative(REPO_ROOT, API_DOCUMENT_FILE);

if (values.check) {
  const committed = await readFile(API_DOCUMENT_FILE, 'utf8').catch(() => '');
  if (committed !== text) {
    process.stderr.write(`${shown} differs from what the code generates: run npm run openapi\n`);
    process.exit(1);
  }
  process.stdout.write(`${shown} is up to date\n`);
} else {
  await mkdir(dirname(API_DOCUMENT_FILE), { recursive: true });
  await writeFile(API_DOCUMENT_FILE, text);
  process.stdout.write(`wrote ${shown} (${Buffer.byteLength(text)} bytes)\n`);
}
