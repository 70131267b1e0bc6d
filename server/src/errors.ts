/**
 * Failures the server reports to clients. Each carries a code from the shared contract; any
 * other thrown value is reported as INTERNAL without its text.
 */
import type { ErrorCode } from '@bilik/shared';
import type { z } from 'zod';
import type { LimitName } from './limits/clientLimits.js';

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

/** Parses `input` with `schema`, or throws a ValidationError naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ValidationError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'} ${issue.message}`).join('; '));
}

/** The first problem of a failed parse, for one-line answers: ` at path: message`, or `: message`. */
export function describeFirstIssue(error: z.ZodError): string {
  const problem = error.issues[0];
  const where = problem && problem.path.length > 0 ? ` at ${problem.path.join('.')}` : '';
  return `${where}: ${problem?.message ?? 'invalid'}`;
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

/** The caller already holds as much of something as one client may (see limits/clientLimits.ts). */
export class LimitExceededError extends AppError {
  constructor(
    readonly limit: LimitName,
    message: string,
  ) {
    super('LIMIT_EXCEEDED', message);
  }
}

/** The visit already has its one decision (an outcome, or a "no outcome" reason). */
export class AlreadyDecidedError extends AppError {
  constructor(message: string) {
    super('ALREADY_DECIDED', message);
  }
}

/** The visit cannot end before it has a decision: an outcome, or a "no outcome" reason. */
export class OutcomeRequiredError extends AppError {
  constructor(message: string) {
    super('OUTCOME_REQUIRED', message);
  }
}
