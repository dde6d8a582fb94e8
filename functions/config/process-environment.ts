import type { Environment } from './environment.ts';

/** The Lambda's environment: the one place that reads process.env. */
export const processEnvironment = (): Environment => process.env;
