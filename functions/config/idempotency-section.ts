import * as z from 'zod';
import type { IdempotencyOptions } from '../adapters/dynamodb/idempotency-persistence.ts';
import { exactlyOne, longSecret, secretArn } from './environment.ts';
import { defineSection, longSecretOf } from './section.ts';

const schema = z
  .object({
    IDEMPOTENCY_TABLE_NAME: z.string().trim().min(3),
    IDEMPOTENCY_SECRET: longSecret.optional(),
    IDEMPOTENCY_SECRET_ARN: secretArn.optional(),
  })
  .superRefine((env, ctx) => exactlyOne(env, ['IDEMPOTENCY_SECRET', 'IDEMPOTENCY_SECRET_ARN'], ctx));

/** Idempotency-Key records: their table and the HMAC key they are stored under. */
export const idempotencySection = defineSection({
  schema,
  secretArns: (e) => (e.IDEMPOTENCY_SECRET_ARN ? ['IDEMPOTENCY_SECRET_ARN'] : []),
  build: (e, secretOf): IdempotencyOptions => ({
    tableName: e.IDEMPOTENCY_TABLE_NAME,
    secret: e.IDEMPOTENCY_SECRET ?? longSecretOf('IDEMPOTENCY_SECRET_ARN', secretOf('IDEMPOTENCY_SECRET_ARN')),
  }),
  secretsIn: ({ secret }) => [secret],
});
