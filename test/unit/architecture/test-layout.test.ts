import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const TEST = fileURLToPath(new URL('../../', import.meta.url));

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );

// Static, type-only and dynamic imports and re-exports alike.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'([^']+)'/gm;

/** Every file of test/, relative to it, with the files it imports (relative to test/, `../` for outside it). */
const graph = new Map(
  sources(TEST).map((file) => {
    const specifiers = [...readFileSync(file, 'utf8').matchAll(SPECIFIER)].map((match) => match[1]!);
    const files = specifiers.filter((s) => s.startsWith('.')).map((s) => relative(TEST, resolve(dirname(file), s)));
    return [relative(TEST, file), files];
  }),
);

const folderOf = (file: string) => (file.startsWith('../') ? '(outside test/)' : file.split('/')[0]!);

/**
 * The helper folders, bottom up: stand-ins for the service's dependencies, the tools users run (which
 * embed the stand-ins), and the helpers tests use (which may start either). Each may import only the
 * folders below it and the service itself; the tests sit on top and may import any of them.
 */
const MAY_IMPORT: Record<string, string[]> = {
  doubles: [],
  tools: ['doubles'],
  support: ['doubles', 'tools'],
};

describe('the layout of test/', () => {
  it('reads the helper folders and resolves every relative import', () => {
    for (const folder of Object.keys(MAY_IMPORT))
      expect(
        [...graph.keys()].some((file) => folderOf(file) === folder),
        folder,
      ).toBe(true);
    for (const [file, targets] of graph)
      for (const target of targets) expect(existsSync(join(TEST, target)), `${file} imports ${target}`).toBe(true);
  });

  it('imports one way only: doubles nothing of test/, tools the doubles, support both', () => {
    const violations = [...graph].flatMap(([file, targets]) => {
      const allowed = MAY_IMPORT[folderOf(file)];
      if (!allowed) return [];
      return targets
        .filter((target) => ![folderOf(file), '(outside test/)', ...allowed].includes(folderOf(target)))
        .map((target) => `${file} -> ${target}`);
    });
    expect(violations).toEqual([]);
  });

  it('gives the tools the faithful Fetcher emulator, never the fault-injection layer tests use', () => {
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const target of graph.get(file) ?? []) visit(target);
    };
    for (const file of graph.keys()) if (folderOf(file) === 'tools') visit(file);
    expect(reached.has('doubles/fetcher-emulator.ts')).toBe(true);
    expect(reached.has('doubles/fake-fetcher.ts')).toBe(false);
  });

  it('keeps tests out of the helper folders', () => {
    const misplaced = [...graph.keys()].filter((file) => file.endsWith('.test.ts') && folderOf(file) in MAY_IMPORT);
    expect(misplaced).toEqual([]);
  });
});
