/** How the service's entry points (server, outcome worker) stop on SIGINT/SIGTERM. */
import type { Logger } from './logger.js';

/**
 * Runs `close` once on the first SIGINT or SIGTERM, then exits 0, or 1 when closing failed.
 * Install it before starting work, so a signal never meets the default handler mid-start.
 */
export function stopOnSignals(logger: Logger, stopping: string, close: () => Promise<void>): void {
  let stopped = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopped) return;
    stopped = true;
    logger.info({ signal }, stopping);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: (error as Error).message }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
