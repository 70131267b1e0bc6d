/**
 * GET /metrics: the server's Prometheus metrics in the text exposition format, for a scraper
 * holding the bearer token METRICS_TOKEN. Without a configured token the endpoint does not
 * exist (404); a missing or wrong token is 401.
 */
import { Router } from 'express';
import type { Registry } from 'prom-client';
import { matchesSha256, sha256Hex } from '../hashing.js';
import { sendError } from './httpErrors.js';

export interface MetricsRouteDeps {
  registry: Registry;
  /** The scraper's bearer token; null: no metrics endpoint. */
  token: string | null;
}

/** GET /metrics, behind the bearer token. */
export function metricsRoutes(deps: MetricsRouteDeps): Router {
  const router = Router();
  // Hashed once: each request's token is compared by its hash, in constant time whatever its length.
  const tokenHash = deps.token === null ? null : sha256Hex(deps.token);
  router.get('/metrics', async (request, response) => {
    if (tokenHash === null) {
      sendError(response, 'NOT_FOUND', 'No metrics endpoint: METRICS_TOKEN is not set');
      return;
    }
    const presented = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (presented === undefined || !matchesSha256(presented, tokenHash)) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      sendError(response, 'UNAUTHORIZED', 'The metrics endpoint needs its bearer token');
      return;
    }
    response.setHeader('Content-Type', deps.registry.contentType);
    response.setHeader('Cache-Control', 'no-store');
    response.send(await deps.registry.metrics());
  });
  return router;
}
