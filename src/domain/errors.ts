/**
 * One error model for the whole backend: a closed list of codes. Expected failures travel as values
 * (`Result`); `AppError` is thrown only across layers that cannot return a value (infra failures), and one
 * wrapper around every resolver turns either into the response envelope.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'CONFLICT',
  'JIRA_UNAVAILABLE',
  'RATE_LIMITED',
  'STORAGE_UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  /** A sentence a person can act on. */
  message: string;
  /** For INVALID_INPUT: the dotted path of the offending field. */
  field?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    if (field !== undefined) this.field = field;
  }
  toInfo(): ErrorInfo {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: ErrorCode, message: string, field?: string): Result<T> => ({
  ok: false,
  error: field === undefined ? { code, message } : { code, message, field },
});

/**
 * Jira asked for a longer wait than the caller can sleep through (its hourly points quota, usually): the work
 * can go on at `retryAt` (epoch ms). Background work saves its progress and comes back then; a page says
 * "try again later".
 */
export class RateLimitedError extends AppError {
  constructor(
    readonly retryAt: number,
    /** Jira's `RateLimit-Reason` (`jira-quota-tenant-based`, ...) or `paced` when the app held back itself. */
    readonly reason: string,
    message = 'Jira is limiting requests from the app right now. Try again later.',
  ) {
    super('RATE_LIMITED', message);
    this.name = 'RateLimitedError';
  }
}

/**
 * Errors `@forge/api` throws from `requestJira` for the platform itself to handle: the user's consent is needed
 * (Forge shows its consent screen when the error leaves the function) or the proxy refused the request.
 * Retrying cannot help, and turning them into an app error would hide the consent screen.
 */
export function forgePlatformError(error: unknown): 'consent' | 'proxy' | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'NEEDS_AUTHENTICATION_ERR' ? 'consent' : name === 'PROXY_ERR' ? 'proxy' : undefined;
}
