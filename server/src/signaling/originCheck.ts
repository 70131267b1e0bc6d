/**
 * Which web pages may open a socket to this server. Browsers always send an Origin header on
 * socket.io requests; only this server's own pages, and origins configured explicitly, are
 * accepted, so another site cannot drive a booth or a console in a user's browser. Requests
 * without an Origin come from non-browser clients, which authenticate like anyone else.
 */
import type { IncomingMessage } from 'node:http';

/** Whether the request's Origin is this server itself or one of `allowedOrigins`. */
export function isAllowedOrigin(request: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
