import * as z from 'zod';
import { exactlyOne, longSecret, secretArn } from './environment.ts';
import { defineSection, longSecretOf } from './section.ts';

const schema = z
  .object({
    CURSOR_SECRET: longSecret.optional(),
    CURSOR_SECRET_ARN: secretArn.optional(),
  })
  .superRefine((env, ctx) => exactlyOne(env, ['CURSOR_SECRET', 'CURSOR_SECRET_ARN'], ctx));

/** The server secret list cursors are signed with, so a client cannot forge or redirect one. */
export const cursorSection = defineSection({
  schema,
  secretArns: (e) => (e.CURSOR_SECRET_ARN ? ['CURSOR_SECRET_ARN'] : []),
  build: (e, secretOf): { secret: string } => ({
    secret: e.CURSOR_SECRET ?? longSecretOf('CURSOR_SECRET_ARN', secretOf('CURSOR_SECRET_ARN')),
  }),
  secretsIn: ({ secret }) => [secret],
});
