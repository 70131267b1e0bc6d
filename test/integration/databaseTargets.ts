/**
 * The databases integration tests run against: embedded PGlite always, PostgreSQL as well when
 * TEST_DATABASE_URL names one (each test file gets its own schema there, dropped afterwards).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseConfig } from '../../server/src/config.js';
import type { Database } from '../../server/src/db/database.js';
import { openDatabase } from '../../server/src/db/openDatabase.js';
import { createLogger, type Logger } from '../../server/src/logger.js';

/** One empty database, private to a test file. */
export interface FreshDatabase {
  config: DatabaseConfig;
  /** The environment variables that make the server or the CLI use this database. */
  env: Record<string, string>;
  open(logger?: Logger): Promise<Database>;
  /** Deletes the database (close what you opened first). */
  dispose(): Promise<void>;
}

export interface DatabaseTarget {
  name: 'PGlite' | 'PostgreSQL';
  fresh(): Promise<FreshDatabase>;
}

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;

export function testLogger(): Logger {
  return createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
}

export const pgliteTarget: DatabaseTarget = {
  name: 'PGlite',
  async fresh() {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bilik-db-test-'));
    const config: DatabaseConfig = { embedded: { dataDir: path.join(dataDir, 'pglite') } };
    return {
      config,
      env: { DATA_DIR: dataDir },
      open: (logger = testLogger()) => openDatabase(config, logger),
      dispose: () => rm(dataDir, { recursive: true, force: true }),
    };
  },
};

const postgresTarget: DatabaseTarget = {
  name: 'PostgreSQL',
  async fresh() {
    if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
    const schema = `bilik_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    await withAdminClient((client) => client.query(`create schema ${schema}`));
    const separator = TEST_DATABASE_URL.includes('?') ? '&' : '?';
    const url = `${TEST_DATABASE_URL}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const config: DatabaseConfig = { url };
    return {
      config,
      env: { DATABASE_URL: url },
      open: (logger = testLogger()) => openDatabase(config, logger),
      dispose: () => withAdminClient((client) => client.query(`drop schema ${schema} cascade`)),
    };
  },
};

async function withAdminClient(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Declares `body`'s tests once per database: on PGlite always, on PostgreSQL when
 * TEST_DATABASE_URL is set (otherwise they are listed as skipped, with the reason in the title).
 */
export function describeEachDatabase(title: string, body: (target: DatabaseTarget) => void): void {
  describe(`${title} (PGlite)`, () => body(pgliteTarget));
  if (TEST_DATABASE_URL) describe(`${title} (PostgreSQL)`, () => body(postgresTarget));
  else describe.skip(`${title} (PostgreSQL: skipped, set TEST_DATABASE_URL to run)`, () => body(postgresTarget));
}
