/**
 * `npm run worker`: a process that records verification outcomes (and forwards them to the back
 * office when configured), apart from the server. `npm start` runs one inside the server already;
 * separate workers, as many as wanted, need PostgreSQL (DATABASE_URL), since the embedded database
 * can be open in one process only. Stops on SIGINT/SIGTERM after finishing the jobs under way.
 *
 * Exit codes: 0 stopped, 1 could not start (one line on stderr says why), 2 bad configuration.
 */
import { ConfigError, describeWorkerConfig, loadWorkerConfig, type WorkerConfig } from './config.js';
import type { Database } from './db/database.js';
import { openDatabase } from './db/openDatabase.js';
import { migrate } from './db/migrate.js';
import { createLogger, type Logger } from './logger.js';
import { OutcomeWorker } from './outcomes/outcomeWorker.js';
import { connectRedis } from './redis/connectRedis.js';
import { stopOnSignals } from './stopOnSignals.js';

async function main(): Promise<void> {
  let config: Readonly<WorkerConfig>;
  try {
    config = loadWorkerConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel, { service: 'bilik-worker' });
  logger.info({ config: describeWorkerConfig(config) }, 'starting bilik outcome worker');

  const db = await openWorkerDatabase(config, logger);
  let redis;
  try {
    await migrate(db, { logger });
    redis = await connectToRedis(config, logger);
  } catch (error) {
    await db.close();
    throw error;
  }
  // Before the worker starts (and says so): a signal can never find the default handler once it runs.
  stopOnSignals(logger, 'stopping bilik outcome worker: finishing the jobs under way', async () => {
    await worker.close();
    redis.disconnect();
    await db.close();
  });
  const worker = OutcomeWorker.start({ redis, db, config: config.outcomes, logger });
}

/** The records database; the embedded one refuses when a server (or another worker) has it open, and says what to do. */
async function openWorkerDatabase(config: Readonly<WorkerConfig>, logger: Logger): Promise<Database> {
  try {
    return await openDatabase(config.database, logger);
  } catch (error) {
    // Matched by name: importing the PGlite module here would load it for PostgreSQL deployments too.
    if (error instanceof Error && error.name === 'DatabaseInUseError') {
      throw new Error(
        `${error.message} A server running on this DATA_DIR records outcomes itself (npm start runs a worker), ` +
          'so no separate worker is needed; to run several workers, use PostgreSQL (DATABASE_URL).',
      );
    }
    throw error;
  }
}

async function connectToRedis(config: Readonly<WorkerConfig>, logger: Logger): ReturnType<typeof connectRedis> {
  try {
    return await connectRedis(config.redis.url, logger);
  } catch (error) {
    if (!config.redis.embedded) throw error;
    throw new Error(
      `no Redis answers at ${config.redis.url} (${(error as Error).message}). Without REDIS_URL the worker uses the ` +
        "server's embedded Redis, which runs only while the server does: start the server, or set REDIS_URL.",
    );
  }
}

main().catch((error: unknown) => {
  console.error(`The Bilik outcome worker could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
