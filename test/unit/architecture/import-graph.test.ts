import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FUNCTIONS = join(ROOT, 'functions');

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );

// Static, type-only and dynamic imports and re-exports alike: a cycle through types is still a tangle.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'([^']+)'/gm;

/** Every file of functions/, relative to it, with what it imports: files (relative) and packages. */
const graph = new Map(
  sources(FUNCTIONS).map((file) => {
    const specifiers = [...readFileSync(file, 'utf8').matchAll(SPECIFIER)].map((match) => match[1]!);
    // Code only: a JSON document bundled as data (openapi-document) is no edge of the graph.
    const files = specifiers
      .filter((s) => s.startsWith('.') && !s.endsWith('.json'))
      .map((s) => relative(FUNCTIONS, resolve(dirname(file), s)));
    const packages = specifiers.filter((s) => !s.startsWith('.'));
    return [relative(FUNCTIONS, file), { files, packages }];
  }),
);

const layerOf = (file: string) => (file.includes('/') ? file.split('/')[0]! : '(root)');

/** Which folders each folder may import from (besides itself and the files at the root of functions/). */
const MAY_IMPORT: Record<string, string[]> = {
  discovery: [],
  observability: ['discovery'],
  http: ['discovery', 'observability'],
  adapters: ['discovery', 'observability'],
  // Option types live beside the adapter or middleware they configure.
  config: ['adapters', 'http', 'discovery'],
  composition: ['adapters', 'config', 'discovery', 'http', 'observability'],
  // The API document is read off the HTTP edge's schemas and the domain's types; nothing imports it.
  openapi: ['discovery', 'http'],
};
const ROUTE_MAY_IMPORT = ['composition', 'discovery', 'http', 'observability'];
// The domain is plain TypeScript: no Lambda, Middy or AWS SDK.
const DOMAIN_PACKAGES = ['uuid', 'ipaddr.js', 'tldts', 'node:crypto'];

const findCycle = (): string[] | undefined => {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done') return undefined;
    if (state.get(file) === 'visiting') return [...path.slice(path.indexOf(file)), file];
    state.set(file, 'visiting');
    path.push(file);
    for (const next of graph.get(file)?.files ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
};

describe('the import graph of functions/', () => {
  it('reads every file and resolves every relative import', () => {
    expect(graph.size).toBeGreaterThan(40);
    for (const [file, { files }] of graph) for (const target of files) expect(graph.has(target), `${file} imports ${target}`).toBe(true);
  });

  it('has no cycle', () => {
    expect(findCycle()).toBeUndefined();
  });

  it('imports only downward: the domain nothing, the edge and the adapters the domain, the composition root all', () => {
    const violations = [...graph].flatMap(([file, { files }]) => {
      const from = layerOf(file);
      const allowed = MAY_IMPORT[from] ?? (from === '(root)' ? [] : ROUTE_MAY_IMPORT);
      return files.filter((target) => ![from, '(root)', ...allowed].includes(layerOf(target))).map((target) => `${file} -> ${target}`);
    });
    expect(violations).toEqual([]);
  });

  it('leaves the API document generator (functions/openapi/) imported by nothing a function runs', () => {
    const importers = [...graph]
      .filter(([file, { files }]) => layerOf(file) !== 'openapi' && files.some((target) => layerOf(target) === 'openapi'))
      .map(([file]) => file);
    expect(importers).toEqual([]);
  });

  it('keeps the domain free of Lambda, Middy and the AWS SDK', () => {
    const packages = [...graph]
      .filter(([file]) => layerOf(file) === 'discovery')
      .flatMap(([file, { packages }]) => packages.map((p) => `${file}: ${p}`));
    expect(packages.filter((entry) => !DOMAIN_PACKAGES.some((allowed) => entry.endsWith(`: ${allowed}`)))).toEqual([]);
  });
});
