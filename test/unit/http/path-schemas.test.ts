import { describe, expect, it } from 'vitest';
import { connectionPath } from '../../../functions/http/path-schemas.ts';

const ID = '0b8e8d7f-3c21-5a1e-9d55-7f2c9e441f0b';

describe('connectionPath', () => {
  it('takes our UUID in any case, lower-cased', () => {
    expect(connectionPath.parse({ connectionId: ID.toUpperCase() })).toEqual({ connectionId: ID });
  });

  it.each(['', 'not-a-uuid', `${ID}x`, ID.replaceAll('-', '')])('refuses %j', (connectionId) => {
    expect(connectionPath.safeParse({ connectionId }).success).toBe(false);
  });
});
