/**
 * Failures the server reports to clients. Each carries a code from the shared contract; any
 * other thrown value is reported as INTERNAL without its text.
 */
import type { ErrorCode } from '@bilik/shared';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string) {
    super('BAD_REQUEST', message);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

/** The caller is not signed in (or its session or credential ended). */
export class UnauthorizedError extends AppError {
  constructor(message: string) {
    super('UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

export class InvalidStateError extends AppError {
  constructor(message: string) {
    super('INVALID_STATE', message);
  }
}
