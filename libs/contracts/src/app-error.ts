import type { ApiError, ErrorDetail } from './api-error.schema';
import { ERROR_CATALOG, isErrorCode, type ErrorCode, type T2sError } from './error-codes';
import type { Stage } from './stage';

export interface AppErrorOptions {
  stage?: Stage;
  cause?: unknown;
  /** Field-level reasons, for INVALID_REQUEST-like errors. */
  details?: ErrorDetail[];
}

/** An error that carries its code, so every layer reports it the same way instead of re-guessing. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly stage: Stage | undefined;
  readonly details: ErrorDetail[] | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.stage = options.stage;
    this.details = options.details;
  }

  get retryable(): boolean {
    return ERROR_CATALOG[this.code].retryable;
  }

  get httpStatus(): number {
    return ERROR_CATALOG[this.code].httpStatus;
  }

  /**
   * `instanceof` fails when two copies of this library are loaded (Jest module registries, a bundled
   * worker), so recognise the shape too.
   */
  static is(value: unknown): value is AppError {
    if (value instanceof AppError) return true;
    if (!(value instanceof Error) || value.name !== 'AppError') return false;
    return isErrorCode((value as { code?: unknown }).code);
  }

  /**
   * Anything thrown, as an AppError. An unknown error becomes INTERNAL with a generic message: its own
   * text (a driver error quoting a row, a stack path) would reach API clients and webhooks; it stays
   * in `cause` for the logs.
   */
  static from(value: unknown, stage?: Stage): AppError {
    if (AppError.is(value)) return value;
    return new AppError('INTERNAL', 'Unexpected internal error', { stage, cause: value });
  }

  /** The segment record's / webhook's error object. */
  toT2sError(): T2sError {
    return this.stage === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, stage: this.stage, message: this.message };
  }

  /** The HTTP error body; pair it with `httpStatus`. */
  toApiError(requestId?: string): ApiError {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details && this.details.length > 0 ? { details: this.details } : {}),
        ...(requestId === undefined ? {} : { requestId }),
      },
    };
  }
}
