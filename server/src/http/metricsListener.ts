/**
 * METRICS_LISTEN: GET /metrics on an HTTP listener of its own, apart from the main port, so that
 * a branch can bind it to a private address its Prometheus reaches and nobody else does. It
 * serves that one route and nothing of the application.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import express from 'express';
import type { ListenAddress } from '../config.js';
import type { Logger } from '../logger.js';
import { errorHandler, sendError } from './httpErrors.js';
import { metricsRoutes, type MetricsRouteDeps } from './metricsRoutes.js';

export interface MetricsListener {
  /** Where the scraper finds the endpoint, e.g. http://127.0.0.1:9464/metrics */
  url: string;
  /** Stops listening and drops the scrapers' open connections. */
  close(): Promise<void>;
}

/** Listens on `address` (plain HTTP) and serves /metrics to `deps.scrapers`. */
export async function startMetricsListener(address: ListenAddress, deps: MetricsRouteDeps, logger: Logger): Promise<MetricsListener> {
  const app = express();
  app.disable('x-powered-by');
  app.use(metricsRoutes(deps));
  app.use((_request, response) => sendError(response, 'NOT_FOUND', 'Only GET /metrics is served here'));
  app.use(errorHandler(logger));
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = net.isIPv6(address.host) ? `[${address.host}]` : address.host;
  const url = `http://${host}:${port}/metrics`;
  logger.info({ url }, 'metrics listening');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A scraper keeps its connection open between scrapes; shutting down must not wait for it.
        server.closeAllConnections();
      }),
  };
}
