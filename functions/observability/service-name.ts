/** The service's name in logs, metrics and traces, and the default namespace of its metrics. */
export const SERVICE_NAME = 'matcher-discovery';
export const DEFAULT_METRICS_NAMESPACE = 'MatcherDiscovery';
