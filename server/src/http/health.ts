/**
 * Liveness and readiness. Liveness only says the process answers; readiness says it can serve
 * a booth right now: Redis and the database answer and every mediasoup worker is alive.
 */
import { Router } from 'express';

export interface ReadinessChecks {
  /** Resolves true when Redis answers a PING in time. */
  redis(): Promise<boolean>;
  /** Resolves true when the records database answers in time. */
  database(): Promise<boolean>;
  /** True while every mediasoup worker is alive. */
  mediasoup(): boolean;
}

/** GET /healthz and GET /readyz. */
export function healthRoutes(checks: ReadinessChecks): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ ok: true });
  });
  router.get('/readyz', async (_request, response) => {
    const [redis, database] = await Promise.all([checks.redis(), checks.database()]);
    const results = { redis, database, mediasoup: checks.mediasoup() };
    const ready = Object.values(results).every(Boolean);
    response.status(ready ? 200 : 503).json({ ok: ready, checks: results });
  });
  return router;
}
