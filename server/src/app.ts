/**
 * The express application, built from its dependencies so tests can create it without
 * listening or starting anything else.
 */
import express, { type Express } from 'express';
import type { Logger } from './logger.js';
import { apiRoutes, type ApiRouteDeps } from './http/apiRoutes.js';
import { authRoutes, type AuthRouteDeps } from './http/authRoutes.js';
import { clientAppRoutes, type ClientApp } from './http/clientApps.js';
import { documentRoutes, type DocumentRouteDeps } from './http/documentRoutes.js';
import { fleetRoutes, type FleetRouteDeps } from './http/fleetRoutes.js';
import { healthRoutes, type ReadinessChecks } from './http/health.js';
import { helpRoutes, type HelpRouteDeps } from './http/helpRoutes.js';
import { errorHandler, sendError } from './http/httpErrors.js';
import { metricsRoutes, type MetricsRouteDeps } from './http/metricsRoutes.js';
import { outcomeRoutes, type OutcomeRouteDeps } from './http/outcomeRoutes.js';
import { reviewRoutes, type ReviewRouteDeps } from './http/reviewRoutes.js';
import { sameOriginWrites } from './http/sameOriginWrites.js';
import { securityHeaders } from './http/securityHeaders.js';
import { trackingRoutes, type TrackingRouteDeps } from './http/trackingRoutes.js';
import { wrapUpRoutes, type WrapUpRouteDeps } from './http/wrapUpRoutes.js';

export interface AppDeps {
  readiness: ReadinessChecks;
  /** Prometheus metrics for a scraper holding the metrics token; null: served on a listener of their own (METRICS_LISTEN). */
  metrics: MetricsRouteDeps | null;
  clientApps: readonly ClientApp[];
  auth: AuthRouteDeps;
  api: ApiRouteDeps;
  fleet: FleetRouteDeps;
  /** Document photos: the kiosk's upload and the officer's view. */
  documents: DocumentRouteDeps;
  /** Public claim tracking: no sign-in, rate-limited. */
  tracking: TrackingRouteDeps;
  /** Outcomes that could not be recorded or forwarded, for supervisors. */
  outcomes: OutcomeRouteDeps;
  /** Second-person review of outcomes, for supervisors. */
  reviews: ReviewRouteDeps;
  /** The branches' wrap-up codes. */
  wrapUps: WrapUpRouteDeps;
  /** Claimants' calls for help from the kiosks, for supervisors. */
  help: HelpRouteDeps;
  /** Origins besides the server's own whose pages may send state-changing requests. */
  allowedOrigins: readonly string[];
  /** How many reverse proxies stand in front (TRUST_PROXY): rate limits then key on the client's address they forward. */
  trustedProxies: number;
  logger: Logger;
}

/** Security headers, health and metrics routes, sign-in, the API, public claim tracking and the browser apps. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // request.ip, which the sign-in, enrolment and tracking rate limits key on: behind a proxy
  // every request comes from the proxy, so its X-Forwarded-For names the client.
  app.set('trust proxy', deps.trustedProxies);
  app.use(securityHeaders());
  app.use(healthRoutes(deps.readiness));
  if (deps.metrics !== null) app.use(metricsRoutes(deps.metrics));
  app.use(sameOriginWrites(deps.allowedOrigins));
  app.use(authRoutes(deps.auth));
  app.use(apiRoutes(deps.api));
  app.use(fleetRoutes(deps.fleet));
  app.use(documentRoutes(deps.documents));
  app.use(trackingRoutes(deps.tracking));
  app.use(outcomeRoutes(deps.outcomes));
  app.use(reviewRoutes(deps.reviews));
  app.use(wrapUpRoutes(deps.wrapUps));
  app.use(helpRoutes(deps.help));
  // Unknown API paths answer in the API's JSON shape, not with an HTML page.
  app.use('/api', (_request, response) => sendError(response, 'NOT_FOUND', 'No such API route'));
  app.use(clientAppRoutes(deps.clientApps));
  app.use(errorHandler(deps.logger));
  return app;
}
