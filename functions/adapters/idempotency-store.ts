import { createHmac } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { JSONValue } from '@aws-lambda-powertools/commons/types';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyPersistenceLayerError,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { MatcherError } from '../discovery/errors.ts';

/** Whose key it is: the same key from another tenant or subject is another request. */
export interface IdempotencyScope {
  tenantId: string;
  subject: string | undefined;
  key: string;
}

export interface OnceResult<T> {
  value: T;
  replayed: boolean;
}

/** Runs `work` once per scope and payload; T must be plain JSON, as it is stored and replayed. */
export type RunOnce = <T>(
  scope: IdempotencyScope,
  payload: Record<string, unknown>,
  work: () => Promise<T>,
  lambdaContext: Context,
) => Promise<OnceResult<T>>;

export interface IdempotencyObserver {
  /** The idempotency table could not be updated after the work ran (its result, or its cleanup). */
  recordFailed(error: unknown): void;
}

const EXPIRY_SECONDS = 24 * 60 * 60;
const IN_PROGRESS_RETRY_AFTER_SECONDS = 2;

/**
 * Idempotency-Key support on Powertools' DynamoDB persistence. What is stored is keyed and
 * fingerprinted with an HMAC under a server secret, so neither the raw key nor anything that could
 * be brute-forced back to the password ever reaches the table. Failures are not stored.
 */
export const createIdempotencyStore = ({
  client,
  tableName,
  secret,
  observer,
}: {
  client: DynamoDBClient;
  tableName: string;
  secret: string;
  observer: IdempotencyObserver;
}): RunOnce => {
  const hmac = (text: string) => createHmac('sha256', secret).update(text).digest('hex');
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    payloadValidationJmesPath: 'fingerprint',
    expiresAfterSeconds: EXPIRY_SECONDS,
    hashFunction: 'sha256',
    // Called only when a stored result answers the request.
    responseHook: (response) => ({ ...(response as { value: JSONValue }), replayed: true }),
  });
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client });
  const once = makeIdempotent(
    async (_record: { key: string; fingerprint: string }, work: () => Promise<JSONValue>) => ({ value: await work(), replayed: false }),
    { persistenceStore, config, keyPrefix: 'create-connection', dataIndexArgument: 0 },
  );

  return async <T>(scope: IdempotencyScope, payload: Record<string, unknown>, work: () => Promise<T>, lambdaContext: Context) => {
    config.registerLambdaContext(lambdaContext);
    const record = {
      key: hmac(JSON.stringify([scope.tenantId, scope.subject ?? null, scope.key])),
      fingerprint: hmac(JSON.stringify(payload, Object.keys(payload).sort())),
    };
    let done: { value: T } | undefined;
    let failed: { error: unknown } | undefined;
    const recorded = async () => {
      try {
        return (done = { value: await work() }).value as JSONValue;
      } catch (error) {
        failed = { error };
        throw error;
      }
    };
    try {
      return (await once(record, recorded)) as OnceResult<T>;
    } catch (error) {
      // The work's own failure (409, 502...) is the answer, even if clearing its record failed too.
      if (failed) {
        if (error !== failed.error) observer.recordFailed(error);
        throw failed.error;
      }
      if (error instanceof IdempotencyAlreadyInProgressError) {
        throw new MatcherError('MTCH-0018', 'A request with this Idempotency-Key is still in progress.', {
          retryAfterSeconds: IN_PROGRESS_RETRY_AFTER_SECONDS,
        });
      }
      if (error instanceof IdempotencyValidationError) {
        throw new MatcherError('MTCH-0019', 'This Idempotency-Key was used with a different request body.');
      }
      // The work succeeded but its result could not be recorded: answer it rather than lose it.
      if (done && error instanceof IdempotencyPersistenceLayerError) {
        observer.recordFailed(error);
        return { value: done.value, replayed: false };
      }
      throw error;
    }
  };
};
