import * as z from 'zod';

/** {connectionId}: our UUID, in any case. */
export const connectionPath = z.object({
  connectionId: z
    .uuid()
    .meta({ description: "Matcher's connection id (never Fetcher's)", examples: ['31fc2178-b094-531c-b39f-abf102c23c05'] })
    .transform((id) => id.toLowerCase()),
});
