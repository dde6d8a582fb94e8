import { lambdaContainer } from '../composition/lambda-container.ts';
import { syncDispatcher } from './dispatcher.ts';

/** Lambda entry point of the scheduled dispatcher. */
export const handler = await syncDispatcher(lambdaContainer);
