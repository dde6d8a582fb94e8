import { build, type Metafile } from 'esbuild';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LambdaFunction } from '../../functions/lambda-functions.ts';
import { BUNDLING, PROJECT_ROOT } from '../../infra/discovery-function.ts';

export interface FunctionBundle {
  code: Uint8Array;
  /** The source map, when the options make one. */
  map: Uint8Array | undefined;
  metafile: Metafile;
}

/** The bundling options, or a variant of them (the benchmark's levers); the stack's own when none is given. */
export type BundlingVariant = Partial<Pick<typeof BUNDLING, 'mainFields' | 'minify' | 'sourceMap' | 'sourcesContent'>> & {
  externalModules?: string[];
};

/**
 * Any entry (a function's handler, a benchmark baseline) bundled in memory with the options the stack
 * bundles every function with (BUNDLING in infra/discovery-function.ts): the one place they are turned
 * into esbuild's, so tests and benchmarks build what `cdk deploy` builds.
 */
export const bundleEntry = async (entry: string, variant: BundlingVariant = {}): Promise<FunctionBundle> => {
  const options = { ...BUNDLING, ...variant };
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, entry)],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    format: options.format,
    target: options.target,
    mainFields: [...options.mainFields],
    minify: options.minify,
    sourcemap: options.sourceMap,
    sourcesContent: options.sourcesContent,
    external: [...options.externalModules],
    banner: { js: options.banner },
    outfile: join(PROJECT_ROOT, 'cdk.out', 'bundle', 'index.mjs'),
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const file = (suffix: string) => result.outputFiles.find((output) => output.path.endsWith(suffix))?.contents;
  return { code: file('.mjs')!, map: file('.mjs.map'), metafile: result.metafile };
};

/** One function bundled in memory with the options the stack bundles it with. */
export const bundleFunction = (fn: LambdaFunction, variant?: BundlingVariant): Promise<FunctionBundle> => bundleEntry(fn.entry, variant);

/** Writes a bundle as the asset Lambda unpacks: index.mjs, and index.mjs.map beside it. Returns index.mjs's path. */
export const writeBundle = async (bundle: FunctionBundle, dir: string): Promise<string> => {
  const file = join(dir, 'index.mjs');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, bundle.code);
  if (bundle.map) await writeFile(`${file}.map`, bundle.map);
  return file;
};
