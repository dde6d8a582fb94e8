import { v5 as uuidv5, validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { CONNECTION_ID_NAMESPACE, connectionId } from '../../../functions/discovery/connection-id.ts';

describe('connectionId', () => {
  it('is the UUID v5 of <tenantId>/<fetcherConnectionId> in the fixed namespace', () => {
    const id = connectionId('default', '0190f3c2-7b1a-7c3e-9d2f-1a2b3c4d5e6f');
    expect(validate(id) && version(id)).toBe(5);
    expect(CONNECTION_ID_NAMESPACE).toBe('2f1c7a52-5d7e-4c1e-9a55-3b8f0d6c9e41');
    expect(id).toBe(uuidv5('default/0190f3c2-7b1a-7c3e-9d2f-1a2b3c4d5e6f', CONNECTION_ID_NAMESPACE));
  });

  it('matches a known vector, so the namespace can never drift', () => {
    // Computed once with Python's uuid.uuid5 for the same namespace and name.
    expect(connectionId('default', 'abc')).toBe('273b5a95-dbb0-53c6-9ee6-a8519bf77839');
  });

  it('is deterministic and differs by tenant and by Fetcher id', () => {
    expect(connectionId('t1', 'f1')).toBe(connectionId('t1', 'f1'));
    expect(connectionId('t1', 'f1')).not.toBe(connectionId('t2', 'f1'));
    expect(connectionId('t1', 'f1')).not.toBe(connectionId('t1', 'f2'));
  });
});
