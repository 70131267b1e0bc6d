/**
 * The express application, built from its dependencies so tests can create it without
 * listening or starting anything else.
 */
import express, { type Express } from 'express';
import { clientAppRoutes, type ClientApp } from './http/clientApps.js';
import { healthRoutes, type ReadinessChecks } from './http/health.js';
import { securityHeaders } from './http/securityHeaders.js';

export interface AppDeps {
  readiness: ReadinessChecks;
  clientApps: readonly ClientApp[];
}

/** Security headers, health routes and the two browser apps. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.use(healthRoutes(deps.readiness));
  app.use(clientAppRoutes(deps.clientApps));
  return app;
}
