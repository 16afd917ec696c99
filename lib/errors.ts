export type AppErrorCode = "INVALID_INPUT" | "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT";

/**
 * The one error class whose message may reach the user. Anything else is logged
 * and shown as a generic failure with an error id.
 */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly field?: string;

  constructor(code: AppErrorCode, message: string, options: { field?: string } = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.field = options.field;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
