/**
 * Cross-site request forgery guard: a request that changes something and rides on the session
 * cookie must come from one of this server's own pages (or a configured origin). Browsers always
 * send Origin on such requests; the SameSite cookie is the second line. Requests that carry a
 * booth's bearer credential are not forgeable by another site and are not checked.
 */
import type { RequestHandler } from 'express';
import { isAllowedOrigin } from '../signaling/originCheck.js';
import { sendError } from './httpErrors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Refuses unsafe cookie-borne requests whose Origin is missing or foreign. */
export function sameOriginWrites(allowedOrigins: readonly string[]): RequestHandler {
  return (request, response, next) => {
    if (SAFE_METHODS.has(request.method) || request.headers.authorization !== undefined) {
      next();
      return;
    }
    if (request.headers.origin === undefined || !isAllowedOrigin(request, allowedOrigins)) {
      sendError(response, 'FORBIDDEN', 'This request must come from a Bilik page');
      return;
    }
    next();
  };
}
