import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { variablesOf } from '../../../functions/config/service-config.ts';

const SECTIONS = ['fetcher', 'auth', 'cache', 'idempotency', 'request', 'sync', 'queue', 'cursor'] as const;
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
// The function environment table: from its heading to the next one.
const table = readme.slice(readme.indexOf('### Function environment variables'), readme.indexOf('### CDK context keys'));

describe('the README', () => {
  it.each(SECTIONS)('documents every variable the %s section reads, in the function environment table', (section) => {
    expect(variablesOf(section).filter((variable) => !table.includes(`\`${variable}\``))).toEqual([]);
  });
});
