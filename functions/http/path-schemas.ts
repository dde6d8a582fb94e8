import * as z from 'zod';

/** {connectionId}: our UUID, in any case. */
export const connectionPath = z.object({ connectionId: z.uuid().transform((id) => id.toLowerCase()) });
