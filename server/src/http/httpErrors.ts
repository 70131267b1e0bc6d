/**
 * How HTTP routes fail: an AppError becomes its code's status and `{ ok: false, error, message }`;
 * body-parser's own refusals (bad JSON, too large) become BAD_REQUEST and TOO_LARGE; anything
 * else is INTERNAL, logged once, without its text reaching the client.
 */
import { HTTP_STATUS_BY_ERROR, type ErrorCode } from '@bilik/shared';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import { AppError, describeFirstIssue, ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';

/** Sends one failure in the shared shape. */
export function sendError(response: Parameters<RequestHandler>[1], code: ErrorCode, message: string): void {
  response.status(HTTP_STATUS_BY_ERROR[code]).json({ ok: false, error: code, message });
}

/** The last middleware: every error thrown by a route ends here. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  const log = logger.child({ module: 'http' });
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    if (error instanceof AppError) {
      log.warn({ method: request.method, path: request.path, code: error.code, reason: error.message }, 'request refused');
      sendError(response, error.code, error.message);
      return;
    }
    const parserError = error as { type?: unknown; status?: unknown };
    if (parserError.type === 'entity.too.large') {
      sendError(response, 'TOO_LARGE', 'The request body is too large');
      return;
    }
    if (typeof parserError.type === 'string' && parserError.status === 400) {
      sendError(response, 'BAD_REQUEST', 'The request body is not valid');
      return;
    }
    log.error({ method: request.method, path: request.path, err: error instanceof Error ? error.stack : String(error) }, 'request failed');
    sendError(response, 'INTERNAL', 'The server could not complete this request');
  };
}

/** Parses `value` with `schema` or throws a ValidationError naming the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ValidationError(`Invalid ${what}${describeFirstIssue(parsed.error)}`);
}
