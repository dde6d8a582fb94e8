import { createHmac } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { JSONValue } from '@aws-lambda-powertools/commons/types';
import {
  IdempotencyConfig,
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
  IdempotencyRecordStatus,
  IdempotencyValidationError,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Claim, IdempotencyScope } from '../../discovery/idempotency-scope.ts';

/** The idempotency table and the server secret its keys and fingerprints are HMACed under. */
export interface IdempotencyOptions {
  tableName: string;
  secret: string;
}

const EXPIRY_SECONDS = 24 * 60 * 60;

/**
 * Idempotency-Key records on Powertools' DynamoDB persistence layer. What is stored is keyed and
 * fingerprinted with an HMAC under a server secret, so neither the raw key nor anything that could
 * be brute-forced back to the password ever reaches the table.
 */
export const createIdempotencyRecords = (client: DynamoDBClient, { tableName, secret }: IdempotencyOptions) => {
  const hmac = (text: string) => createHmac('sha256', secret).update(text).digest('hex');
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    payloadValidationJmesPath: 'fingerprint',
    expiresAfterSeconds: EXPIRY_SECONDS,
    hashFunction: 'sha256',
  });
  // One layer per route: the route is the records' key prefix.
  const layers = new Map<string, DynamoDBPersistenceLayer>();
  const layerFor = (route: string) => {
    let layer = layers.get(route);
    if (!layer) {
      layer = new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client });
      layer.configure({ config, keyPrefix: route });
      layers.set(route, layer);
    }
    return layer;
  };
  const recordOf = (scope: IdempotencyScope, payload: Record<string, unknown>) => ({
    key: hmac(JSON.stringify([scope.tenantId, scope.subject, scope.key])),
    fingerprint: hmac(JSON.stringify(payload, Object.keys(payload).sort())),
  });

  return {
    /** Claims the key for this request, or says what the earlier request with it became. */
    async claim(scope: IdempotencyScope, payload: Record<string, unknown>, remainingMs: number): Promise<Claim> {
      const layer = layerFor(scope.route);
      const data = recordOf(scope, payload);
      // A record that expired or vanished between the refused write and the read is claimed again, once.
      for (let attempt = 1; ; attempt++) {
        try {
          await layer.saveInProgress(data, remainingMs);
          return { outcome: 'claimed' };
        } catch (error) {
          if (!(error instanceof IdempotencyItemAlreadyExistsError)) throw error;
          let record;
          try {
            record = error.existingRecord ? layer.processExistingRecord(error.existingRecord, data) : await layer.getRecord(data);
          } catch (readError) {
            if (readError instanceof IdempotencyValidationError) return { outcome: 'different-request' };
            if (readError instanceof IdempotencyItemNotFoundError && attempt === 1) continue;
            throw readError;
          }
          const status = record.getStatus();
          if (status === IdempotencyRecordStatus.COMPLETED) return { outcome: 'completed', response: record.getResponse() };
          if (status === IdempotencyRecordStatus.EXPIRED && attempt === 1) continue;
          return { outcome: 'in-progress' };
        }
      }
    },
    /** Stores the answer a claimed request gave, for its replays. */
    complete: (scope: IdempotencyScope, payload: Record<string, unknown>, response: unknown) =>
      layerFor(scope.route).saveSuccess(recordOf(scope, payload), response as JSONValue),
    /** Forgets a claimed request that failed: failures are not stored, so the key can be retried. */
    release: (scope: IdempotencyScope, payload: Record<string, unknown>) => layerFor(scope.route).deleteRecord(recordOf(scope, payload)),
  };
};

export type IdempotencyRecords = ReturnType<typeof createIdempotencyRecords>;
