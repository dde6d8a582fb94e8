import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { MatcherError, type ErrorCode, type FieldError } from '../discovery/errors.ts';
import { AuthFailure } from './auth-failure.ts';

/** Status per code. Titles are the HTTP reason phrases, as Huma renders them. */
const STATUS: Record<ErrorCode, number> = {
  'MTCH-0001': 400,
  'MTCH-0002': 500,
  'MTCH-0003': 401,
  'MTCH-0004': 403,
  'MTCH-0005': 422,
  'MTCH-0006': 415,
  'MTCH-0007': 413,
  'MTCH-0008': 503,
  'MTCH-0018': 409,
  'MTCH-0019': 422,
  'MTCH-0020': 400,
  'MTCH-0201': 404,
  'MTCH-0203': 503,
  'MTCH-0205': 409,
  'MTCH-0206': 409,
  'MTCH-0207': 502,
  'MTCH-0208': 504,
  'MTCH-0209': 422,
  'MTCH-0210': 429,
  'MTCH-0211': 409,
};

const TITLE: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ErrorCode;
  errors?: FieldError[];
}

export const statusOf = (code: ErrorCode): number => STATUS[code];

/** Anything that is not a MatcherError is an internal error, and says nothing more. */
export const asMatcherError = (error: unknown): MatcherError =>
  error instanceof MatcherError ? error : new MatcherError('MTCH-0002', 'internal error', { cause: error });

export const problemFor = (error: MatcherError, requestId: string): Problem => {
  const status = STATUS[error.code];
  return {
    type: 'about:blank',
    title: TITLE[status]!,
    status,
    detail: error.detail,
    instance: `urn:request:${requestId}`,
    code: error.code,
    ...(error.errors?.length ? { errors: error.errors } : {}),
  };
};

/** RFC 6750's WWW-Authenticate challenge for an authentication or permission failure. */
const challengeOf = (error: MatcherError): string | undefined => {
  if (!(error instanceof AuthFailure)) return undefined;
  switch (error.challenge) {
    case 'none':
      return 'Bearer realm="matcher"';
    case 'insufficient_scope':
      return `Bearer error="insufficient_scope", scope="${error.scope ?? ''}"`;
    default:
      return `Bearer realm="matcher", error="${error.challenge}"`;
  }
};

export const problemResponse = (error: MatcherError, requestId: string): APIGatewayProxyStructuredResultV2 => {
  const problem = problemFor(error, requestId);
  const challenge = challengeOf(error);
  return {
    statusCode: problem.status,
    headers: {
      'Content-Type': 'application/problem+json',
      'Cache-Control': 'no-store',
      ...(error.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(error.retryAfterSeconds) }),
      ...(challenge === undefined ? {} : { 'WWW-Authenticate': challenge }),
    },
    body: JSON.stringify(problem),
  };
};
