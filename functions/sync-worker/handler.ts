import { lambdaContainer } from '../composition/lambda-container.ts';
import { syncWorker } from './worker.ts';

/** Lambda entry point of the sync queue's consumer. */
export const handler = await syncWorker(lambdaContainer);
