/**
 * Opens the records database the configuration names. Apart from database.ts so that the base
 * class does not import the drivers that extend it.
 */
import type { DatabaseConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Database } from './database.js';

/** Opens PostgreSQL when `config` has a URL, otherwise the embedded PGlite in its data directory. */
export async function openDatabase(config: DatabaseConfig, logger: Logger): Promise<Database> {
  const log = logger.child({ module: 'database' });
  // Imported on demand: a PostgreSQL deployment never loads PGlite's WebAssembly, and back.
  if ('url' in config) {
    const { PostgresDatabase } = await import('./postgresDatabase.js');
    return PostgresDatabase.connect(config.url, log);
  }
  const { PgliteDatabase } = await import('./pgliteDatabase.js');
  return PgliteDatabase.openDirectory(config.embedded.dataDir, log);
}
