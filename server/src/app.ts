/**
 * The express application, built from its dependencies so tests can create it without
 * listening or starting anything else.
 */
import express, { type Express } from 'express';
import type { Logger } from './logger.js';
import { apiRoutes, type ApiRouteDeps } from './http/apiRoutes.js';
import { authRoutes, type AuthRouteDeps } from './http/authRoutes.js';
import { clientAppRoutes, type ClientApp } from './http/clientApps.js';
import { healthRoutes, type ReadinessChecks } from './http/health.js';
import { errorHandler, sendError } from './http/httpErrors.js';
import { sameOriginWrites } from './http/sameOriginWrites.js';
import { securityHeaders } from './http/securityHeaders.js';

export interface AppDeps {
  readiness: ReadinessChecks;
  clientApps: readonly ClientApp[];
  auth: AuthRouteDeps;
  api: ApiRouteDeps;
  /** Origins besides the server's own whose pages may send state-changing requests. */
  allowedOrigins: readonly string[];
  logger: Logger;
}

/** Security headers, health routes, sign-in, the API and the browser apps. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.use(healthRoutes(deps.readiness));
  app.use(sameOriginWrites(deps.allowedOrigins));
  app.use(authRoutes(deps.auth));
  app.use(apiRoutes(deps.api));
  // Unknown API paths answer in the API's JSON shape, not with an HTML page.
  app.use('/api', (_request, response) => sendError(response, 'NOT_FOUND', 'No such API route'));
  app.use(clientAppRoutes(deps.clientApps));
  app.use(errorHandler(deps.logger));
  return app;
}
