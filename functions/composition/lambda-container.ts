import { createSecretReader } from '../adapters/secrets-manager.ts';
import { processEnvironment } from '../config/process-environment.ts';
import { createContainer } from './container.ts';

/** The container a Lambda function (or the local harness) runs: the process environment and Secrets Manager. */
export const lambdaContainer = createContainer(processEnvironment(), createSecretReader());
