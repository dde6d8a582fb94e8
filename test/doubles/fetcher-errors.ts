/** Fetcher's error body: `{code, title, message[, fields][, entityType]}`; `code` is a number on some 500s. */
export interface FetcherError {
  status: number;
  body: { code: string | number; title: string; message: string; fields?: Record<string, string>; entityType?: string };
}

export const fetcherError = (
  status: number,
  code: string | number,
  title: string,
  message: string,
  extra: Partial<FetcherError['body']> = {},
): FetcherError => ({
  status,
  body: { code, title, message, ...extra },
});

/** A body Fiber cannot bind: not JSON, wrong Content-Type, or a field of the wrong JSON type. */
export const unparseable = () => fetcherError(400, 'FET-0001', 'Invalid payload', 'unable to parse request body');

export const emptyBody = () => fetcherError(400, 'FET-0001', 'Invalid payload', 'empty request body');

export const invalidId = () => fetcherError(400, 'FET-0404', 'Invalid Path Parameter', 'invalid connection id');

export const notFound = () =>
  fetcherError(
    404,
    'FET-1001',
    'Entity Not Found',
    'It was not possible to find the connection entity during the requested flow. Please review the data provided in the request.',
  );

export const conflict = () =>
  fetcherError(
    409,
    'FET-1002',
    'Conflict',
    'An entity of type connection with the same unique attributes already exists. Please use different values to avoid conflicts and review the data provided in the request.',
  );

/** Extraction jobs are running on the connection: Fetcher will not change or delete it until they end. */
export const jobInProgress = () =>
  fetcherError(
    409,
    'FET-1021',
    'Job In Progress',
    'The connection has extraction jobs in progress. Wait for them to finish and try again.',
  );

export const connectError = () =>
  fetcherError(
    500,
    500,
    'Database Connection Error',
    'The adapter failed to connect to the target data source. Check credentials and network access.',
  );

export const retrievalError = () => fetcherError(500, 500, 'Schema Retrieval Error', 'Failed to retrieve database schema information.');
