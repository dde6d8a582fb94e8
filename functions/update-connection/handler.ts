import { lambdaContainer } from '../composition/lambda-container.ts';
import { updateConnectionRoute } from './route.ts';

/** Lambda entry point. Configuration and its secrets are read at cold start (top-level await), never in a request. */
export const handler = await updateConnectionRoute(lambdaContainer);
