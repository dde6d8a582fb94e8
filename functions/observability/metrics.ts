import { Metrics } from '@aws-lambda-powertools/metrics';
import { SERVICE_NAME } from './service-name.ts';

/**
 * EMF metrics, one instance per container. The namespace comes from POWERTOOLS_METRICS_NAMESPACE,
 * which the stack sets (Powertools reads it; the constructor option would override it).
 */
export const metrics = new Metrics({ serviceName: SERVICE_NAME });
