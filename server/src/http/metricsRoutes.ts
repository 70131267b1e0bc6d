/**
 * GET /metrics: the server's Prometheus metrics in the text exposition format. On the main port
 * it answers a scraper holding the bearer token METRICS_TOKEN, and does not exist (404) without
 * a configured token; a missing or wrong token is 401. On its own listener (METRICS_LISTEN, see
 * metricsListener.ts) the token is optional: that address is private.
 */
import { Router } from 'express';
import type { Registry } from 'prom-client';
import { matchesSha256, sha256Hex } from '../hashing.js';
import { sendError } from './httpErrors.js';

/** Who may scrape: the bearer of a token, anyone who reaches the route, or nobody (404). */
export type MetricsScrapers = { bearer: string } | 'anyone' | 'nobody';

export interface MetricsRouteDeps {
  registry: Registry;
  scrapers: MetricsScrapers;
}

/** GET /metrics, for the scrapers allowed. */
export function metricsRoutes(deps: MetricsRouteDeps): Router {
  const router = Router();
  const { scrapers } = deps;
  // Hashed once: each request's token is compared by its hash, in constant time whatever its length.
  const tokenHash = typeof scrapers === 'object' ? sha256Hex(scrapers.bearer) : null;
  router.get('/metrics', async (request, response) => {
    if (scrapers === 'nobody') {
      sendError(response, 'NOT_FOUND', 'No metrics endpoint: METRICS_TOKEN is not set');
      return;
    }
    const presented = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (tokenHash !== null && (presented === undefined || !matchesSha256(presented, tokenHash))) {
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
