/**
 * Serves the built browser apps: the booth kiosk at /booth/ and the officer console at
 * /officer/. An app that was not built yet answers 503 with the command that builds it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

export interface ClientApp {
  /** URL prefix, e.g. /booth */
  mountPath: string;
  /** The app's Vite output directory. */
  distDir: string;
}

/** Static routes for each app, and a landing page linking them. */
export function clientAppRoutes(apps: readonly ClientApp[]): Router {
  // Strict, so that /booth and /booth/ are different routes and the redirect below cannot loop.
  const router = Router({ strict: true });
  for (const app of apps) {
    const indexFile = path.join(app.distDir, 'index.html');
    router.get(app.mountPath, (_request, response) => response.redirect(301, `${app.mountPath}/`));
    router.use(`${app.mountPath}/`, (_request, response, next) => {
      if (existsSync(indexFile)) next();
      else response.status(503).type('text/plain').send(`This page is not built yet. Run: npm start\n`);
    });
    router.use(`${app.mountPath}/`, express.static(app.distDir, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForHtml }));
  }
  router.get('/', (_request, response) => {
    const links = apps.map((app) => `<li><a href="${app.mountPath}/">${app.mountPath.slice(1)}</a></li>`).join('');
    response
      .type('html')
      .send(`<!doctype html><html lang="id"><meta charset="utf-8"><title>Bilik</title><h1>Bilik</h1><ul>${links}</ul></html>`);
  });
  return router;
}

/** HTML must always be fresh so a new deployment's asset names are picked up at once. */
function noCacheForHtml(response: express.Response, filePath: string): void {
  if (filePath.endsWith('.html')) response.setHeader('Cache-Control', 'no-cache');
}
