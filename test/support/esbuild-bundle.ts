import { build, type Metafile } from 'esbuild';
import { join } from 'node:path';
import type { LambdaFunction } from '../../functions/lambda-functions.ts';
import { BUNDLING, PROJECT_ROOT } from '../../infra/discovery-function.ts';

export interface FunctionBundle {
  code: Uint8Array;
  metafile: Metafile;
}

/** One function bundled in memory with the options the stack bundles it with (infra/discovery-function.ts). */
export const bundleFunction = async (fn: LambdaFunction): Promise<FunctionBundle> => {
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, fn.entry)],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    format: BUNDLING.format,
    target: BUNDLING.target,
    mainFields: BUNDLING.mainFields,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap,
    sourcesContent: BUNDLING.sourcesContent,
    external: BUNDLING.externalModules,
    banner: { js: BUNDLING.banner },
    outfile: join(PROJECT_ROOT, 'cdk.out', fn.name, 'index.mjs'),
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  return { code: result.outputFiles.find((file) => file.path.endsWith('.mjs'))!.contents, metafile: result.metafile };
};
