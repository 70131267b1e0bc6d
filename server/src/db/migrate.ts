/**
 * Schema migrations: plain SQL files `migrations/NNN_name.sql`, applied in version order, each in
 * its own transaction, and recorded in `schema_migrations`. A transaction-scoped advisory lock
 * makes processes that start together (several servers, or a server and `npm run fleet` on
 * PostgreSQL) apply each migration exactly once: whoever waits re-checks after the lock.
 *
 * Files must not contain BEGIN/COMMIT; an applied file must never be edited: add a new one.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.js';
import type { Database, Transaction } from './database.js';

/** One SQL file of the schema's history. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations shipped with the server. */
export const MIGRATIONS_DIRECTORY = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Key of the advisory lock that serialises migrations ('bilik' in ASCII). */
const MIGRATION_LOCK_KEY = '422827748715';
const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/** Reads `NNN_name.sql` files in version order; refuses misnamed .sql files and repeated versions. */
export async function loadMigrations(directory: string = MIGRATIONS_DIRECTORY): Promise<Migration[]> {
  const files = (await readdir(directory)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match) throw new Error(`migration file ${file} is not named NNN_name.sql (lower case, digits, _)`);
    const version = Number(match[1]);
    if (migrations.some((migration) => migration.version === version)) throw new Error(`two migration files have version ${match[1]}`);
    migrations.push({ version, name: match[2]!, sql: await readFile(path.join(directory, file), 'utf8') });
  }
  return migrations;
}

/**
 * Applies the migrations not yet recorded, oldest first, and returns those this call applied
 * (an empty list when the schema was up to date, or another process applied them first).
 */
export async function migrate(
  db: Database,
  options: { logger?: Logger; migrations?: readonly Migration[] } = {},
): Promise<Array<Pick<Migration, 'version' | 'name'>>> {
  const migrations = options.migrations ?? (await loadMigrations());
  const log = options.logger?.child({ module: 'migrate' });
  const alreadyApplied = await db.transaction(async (tx) => new Set(await lockAndListApplied(tx)));

  const known = new Set(migrations.map((migration) => migration.version));
  const unknown = [...alreadyApplied].filter((version) => !known.has(version));
  if (unknown.length > 0)
    log?.warn({ versions: unknown }, 'database has migrations this server does not know: is it older than the schema?');

  const appliedNow: Array<Pick<Migration, 'version' | 'name'>> = [];
  for (const migration of migrations) {
    if (alreadyApplied.has(migration.version)) continue;
    const applied = await db.transaction(async (tx) => {
      // Another process may have applied it while we waited for the lock.
      if ((await lockAndListApplied(tx)).includes(migration.version)) return false;
      await tx.exec(migration.sql);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [migration.version, migration.name]);
      return true;
    });
    if (applied) {
      appliedNow.push({ version: migration.version, name: migration.name });
      log?.info({ version: migration.version, migration: migration.name }, 'migration applied');
    }
  }
  return appliedNow;
}

/** Takes the migration lock until the transaction ends, creating the record table on first use. */
async function lockAndListApplied(tx: Transaction): Promise<number[]> {
  await tx.query('select pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
  await tx.exec(`create table if not exists schema_migrations (
    version int primary key,
    name text not null,
    applied_at timestamptz not null default now()
  )`);
  const rows = await tx.query<{ version: number }>('select version from schema_migrations order by version');
  return rows.map((row) => row.version);
}
