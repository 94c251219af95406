/**
 * Typed errors of the domain. Domain functions throw `AppError`; the one API wrapper (lib/auth/with-auth.ts) maps
 * the code to an HTTP status and `{ "error": message }`. Anything else becomes a 500 without details.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  /** Seconds, for 429/503 answers. */
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message: string, opts: { details?: unknown; retryAfter?: number } = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = opts.details;
    this.retryAfter = opts.retryAfter;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const badRequest = (m: string, details?: unknown) => new AppError("bad_request", m, { details });
export const notFound = (m: string) => new AppError("not_found", m);
export const conflict = (m: string, details?: unknown) => new AppError("conflict", m, { details });
export const forbidden = (m: string) => new AppError("forbidden", m);

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
