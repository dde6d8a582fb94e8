import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 2 }));
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';

// What the Powertools logger and metrics (and Middy) add, as every function uses them.
const logger = new Logger({ serviceName: 'bench' });
const metrics = new Metrics({ serviceName: 'bench', namespace: 'Bench' });

export const handler = middy(async () => {
  logger.info('bench');
  metrics.addMetric('Bench', 'Count', 1);
  return { statusCode: documents ? 204 : 500 };
});
