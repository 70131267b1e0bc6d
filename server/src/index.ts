/**
 * The service's entry point: configuration, logger, then the server; stops cleanly on
 * SIGINT/SIGTERM.
 */
import { ConfigError, describeConfig, loadConfig } from './config.js';
import { demoSignInFile, hasDemoSignInFile } from './demo/seedDemo.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import { startBanner } from './startBanner.js';
import { stopOnSignals } from './stopOnSignals.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  logger.info({ config: describeConfig(config) }, 'starting bilik');
  const starting = startServer(config, logger);
  // Before the server is up: a signal while it starts stops it once it has started, instead of
  // killing it half-way (the default action) with its children and files in between.
  stopOnSignals(logger, 'stopping bilik', async () => (await starting).close());
  const server = await starting;
  const demo = (await hasDemoSignInFile(config.dataDir)) ? { file: demoSignInFile(config.dataDir), seededNow: server.seededDemo } : null;
  process.stderr.write(startBanner({ url: server.url, host: config.http.host, publicTrackingUrl: config.publicTrackingUrl, demo }));
}

main().catch((error: unknown) => {
  console.error(`Bilik could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
