import { AsyncLocalStorage } from 'node:async_hooks';

/** The Lambda function a piece of code runs as, and the environment it was configured with. */
export interface Invocation {
  /** Its name in functions/lambda-functions.ts (a route's function is named after the route). */
  fn: string;
  env: Record<string, string | undefined>;
}

const current = new AsyncLocalStorage<Invocation>();

/**
 * Runs `work` (a cold start, or one invocation) as function `fn`: every AWS call made inside it is
 * recorded as that function's, against the resources `env` names (test/support/record-aws-calls.ts).
 */
export const asFunction = <T>(fn: string, env: Record<string, string | undefined>, work: () => T): T => current.run({ fn, env }, work);

/** The invocation the calling code runs in, if any. */
export const currentInvocation = (): Invocation | undefined => current.getStore();
