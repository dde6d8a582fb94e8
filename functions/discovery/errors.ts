/** The closed catalogue of error codes. Statuses, titles and headers are rendered in functions/http/problem.ts. */
export type ErrorCode =
  | 'MTCH-0001'
  | 'MTCH-0002'
  | 'MTCH-0003'
  | 'MTCH-0004'
  | 'MTCH-0005'
  | 'MTCH-0006'
  | 'MTCH-0007'
  | 'MTCH-0008'
  | 'MTCH-0018'
  | 'MTCH-0019'
  | 'MTCH-0020'
  | 'MTCH-0201'
  | 'MTCH-0203'
  | 'MTCH-0205'
  | 'MTCH-0206'
  | 'MTCH-0207'
  | 'MTCH-0208'
  | 'MTCH-0209'
  | 'MTCH-0210'
  | 'MTCH-0211';

/** One problem with one field; `value` only ever holds a non-secret scalar the caller sent. */
export interface FieldError {
  location: string;
  message: string;
  value?: string | number | boolean;
}

export interface MatcherErrorOptions {
  errors?: FieldError[];
  /** When the caller may try again: the condition is temporary. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** The only error type the service answers with; anything else becomes MTCH-0002. */
export class MatcherError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  readonly errors: FieldError[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, detail: string, options: MatcherErrorOptions = {}) {
    super(`${code}: ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MatcherError';
    this.code = code;
    this.detail = detail;
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
