/**
 * The error codes a client can receive. The server maps every failure to one of these and
 * never sends internal error text for INTERNAL.
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNKNOWN_EVENT',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'INVALID_STATE',
  /** The visit already has a decision (an outcome or a "no outcome" reason); a second one is refused. */
  'ALREADY_DECIDED',
  /** The visit cannot end yet: it needs an outcome, or a "no outcome" reason. */
  'OUTCOME_REQUIRED',
  'TOO_LARGE',
  'RATE_LIMITED',
  /** The caller already holds as many of something (transports, producers, sockets, probes) as one client may. */
  'LIMIT_EXCEEDED',
  'PROTOCOL_MISMATCH',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** HTTP status for each error code, so routes and sockets report failures alike. */
export const HTTP_STATUS_BY_ERROR: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNKNOWN_EVENT: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_STATE: 409,
  ALREADY_DECIDED: 409,
  OUTCOME_REQUIRED: 409,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
  LIMIT_EXCEEDED: 429,
  PROTOCOL_MISMATCH: 426,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};
