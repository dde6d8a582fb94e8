import { vi } from 'vitest';
import { lambdaFunction } from '../../functions/lambda-functions.ts';
import { lambdaContext } from '../tools/lambda-context.ts';
import { REPO_ROOT } from '../tools/local-paths.ts';
import { asFunction } from './function-invocation.ts';

export type LambdaEntry = (event: unknown, timeoutMs?: number) => Promise<any>;

/**
 * A function of functions/lambda-functions.ts loaded from its handler.ts as Lambda loads it: `env` in
 * process.env, a fresh module graph, the top-level await as its cold start. Each invocation runs as
 * that function. The caller undoes the environment with vi.unstubAllEnvs().
 */
export const loadLambdaEntry = async (name: string, env: Record<string, string>): Promise<LambdaEntry> => {
  const fn = lambdaFunction(name);
  for (const [variable, value] of Object.entries(env)) vi.stubEnv(variable, value);
  vi.resetModules();
  const { handler } = (await asFunction(name, env, () => import(`${REPO_ROOT}/${fn.entry}`))) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
  return (event, timeoutMs) => asFunction(name, env, () => handler(event, lambdaContext(timeoutMs, name)));
};
