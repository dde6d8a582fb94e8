import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { secretsOf, type Config } from '../config.ts';
import { createConnectionCache } from '../adapters/connection-cache.ts';
import { createDnsResolver } from '../adapters/dns-resolver.ts';
import { createDynamoDBClient, documentClientOf } from '../adapters/dynamodb-client.ts';
import { createFetcherClient } from '../adapters/fetcher-client.ts';
import { createIdempotencyStore, type RunOnce } from '../adapters/idempotency-store.ts';
import { MatcherError } from '../discovery/errors.ts';
import { createHostPolicy } from '../discovery/host-policy.ts';
import type { ConnectionCache, FetcherPort, HostResolver } from '../discovery/ports.ts';
import { provisionConnection } from '../discovery/provision-connection.ts';
import { authenticate } from '../http/authenticate.ts';
import { created } from '../http/created.ts';
import { logRequests } from '../http/log-requests.ts';
import { problemResponder } from '../http/problem-responder.ts';
import { readIdempotencyKey } from '../http/read-idempotency-key.ts';
import { readJsonBody } from '../http/read-json-body.ts';
import { callContextOf, type DiscoveryContext, type HttpEvent, type HttpResult } from '../http/request-context.ts';
import { createTokenVerifier } from '../http/token-verifier.ts';
import { validateConnectionRequest } from '../http/validate-connection-request.ts';
import { withholdSecrets } from '../http/withhold-secrets.ts';
import { logger } from '../observability/logger.ts';
import { meteredFetcher } from '../observability/metered-fetcher.ts';
import { metrics } from '../observability/metrics.ts';
import { createProvisionObserver } from '../observability/provision-observer.ts';
import { publishMetrics } from '../observability/publish-metrics.ts';
import { withhold } from '../observability/secret-values.ts';
import { tracer } from '../observability/tracer.ts';

export interface Adapters {
  fetcher: FetcherPort;
  cache: ConnectionCache;
  resolveHost: HostResolver | undefined;
  runOnce: RunOnce;
}

export const createAdapters = (config: Config): Adapters => {
  const dynamodb = tracer.captureAWSv3Client(createDynamoDBClient(config.dynamodb));
  return {
    fetcher: meteredFetcher(createFetcherClient(config.fetcher), metrics),
    cache: createConnectionCache(documentClientOf(dynamodb), config.tables.cache),
    resolveHost: config.hostPolicy.dnsCheck ? createDnsResolver() : undefined,
    runOnce: createIdempotencyStore({
      client: dynamodb,
      tableName: config.tables.idempotency,
      secret: config.idempotencySecret,
      observer: {
        recordFailed: (error) =>
          logger.error('idempotency record not updated', { error: error instanceof Error ? error.message : String(error) }),
      },
    }),
  };
};

/**
 * POST /v1/discovery/connections: the middleware list, then one use case. Built once per container,
 * so the JWKS cache, the HTTP keep-alive pool and the DynamoDB client outlive a single request.
 */
export const createConnectionHandler = (config: Config, adapters: Adapters = createAdapters(config)) => {
  // Configured secrets live as long as the container: withheld from every log line, for good.
  withhold(...secretsOf(config));
  const hostPolicy = createHostPolicy(config.hostPolicy);
  const { runOnce, ...ports } = adapters;
  const provision = provisionConnection({
    ...ports,
    hostPolicy,
    observer: createProvisionObserver(logger, metrics),
    schemaDiscoveryBudgetMs: config.schemaDiscoveryBudgetMs,
    now: () => new Date(),
    newRequestId: randomUUID,
  });

  return (
    middy<HttpEvent, HttpResult, Error, DiscoveryContext>({
      // Every call is bounded 1 s before the Lambda's end; this catches anything that is not, early
      // enough for the error path (logs, metrics, trace) to finish.
      timeoutEarlyInMillis: 300,
      timeoutEarlyResponse: () => {
        throw new MatcherError('MTCH-0208', 'The request did not complete in time.');
      },
    })
      .use(captureLambdaHandler(tracer, { captureResponse: false }))
      // Never the event: it carries the password and the token (POWERTOOLS_LOGGER_LOG_EVENT cannot turn it on).
      .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
      .use(publishMetrics(metrics))
      .use(httpHeaderNormalizer())
      .use(logRequests(logger))
      .use(authenticate(config.auth, createTokenVerifier(config.auth)))
      .use(readIdempotencyKey())
      .use(readJsonBody({ maxBodyBytes: config.maxBodyBytes }))
      .use(withholdSecrets())
      .use(validateConnectionRequest(hostPolicy))
      .use(problemResponder(logger, metrics))
      .handler(async (event, context) => {
        const { tenantId, subject } = context.principal!;
        const work = () => provision({ tenantId, request: context.input!, call: callContextOf(event, context) });
        const key = context.idempotencyKey;
        const { value, replayed } = key
          ? await runOnce({ tenantId, subject, key }, { ...context.input! }, work, context)
          : { value: await work(), replayed: false };
        return created(value, replayed);
      })
  );
};
