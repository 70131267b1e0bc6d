/**
 * The server's Prometheus metrics: one registry per server, holding the process's default
 * metrics (CPU, memory, event loop, GC) and Bilik's own. Modules are handed the metric they
 * update; GET /metrics (http/metricsRoutes.ts) serves the registry.
 */
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import { LIMIT_NAMES } from './limits/clientLimits.js';

export class Metrics {
  /** Its own registry, not prom-client's global one, so servers started side by side (tests) do not mix. */
  readonly registry = new Registry();
  /** Requests refused, or oldest sockets and probes displaced, because a client reached one of its caps. */
  readonly limitRefusals: Counter<'limit'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.limitRefusals = new Counter({
      name: 'bilik_limit_refusals_total',
      help: 'Requests refused (or oldest sockets and probes displaced) because one client reached a cap, by cap',
      labelNames: ['limit'],
      registers: [this.registry],
    });
    // Every cap shows from the start, at zero, so a rate over it is defined before its first refusal.
    for (const limit of LIMIT_NAMES) this.limitRefusals.inc({ limit }, 0);
  }
}
