import * as z from 'zod';

// The published API's problem schemas (components.schemas.Detail and ErrorDetail), both
// additionalProperties: false; `format: uri` checked as "has a scheme".
const uri = z.string().regex(/^[A-Za-z][A-Za-z0-9+.-]*:\S*$/);

export const errorDetailSchema = z.strictObject({
  location: z.string().optional(),
  message: z.string().optional(),
  value: z.unknown().optional(),
});

export const detailSchema = z.strictObject({
  code: z.string().optional(),
  detail: z.string().optional(),
  errors: z.array(errorDetailSchema).nullable().optional(),
  instance: uri.optional(),
  status: z.int().optional(),
  title: z.string().optional(),
  type: uri.optional(),
});
