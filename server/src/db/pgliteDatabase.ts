/**
 * Embedded PGlite: real PostgreSQL compiled to WebAssembly, one connection, files on disk.
 *
 * PGlite takes no lock on its data directory: two processes opening the same one each run their
 * own copy of PostgreSQL over the same files and lose each other's writes. A lock file beside the
 * directory (`<dataDir>.lock`, holding the owner's pid) makes the second opener fail instead.
 */
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Logger } from '../logger.js';
import { Database, guardedTransaction, type Transaction } from './database.js';

/** PostgreSQL's type oid of int8. */
const INT8_OID = 20;

/** Lock files this process holds: a stale lock naming our own pid (pid 1 in a restarted container) is not ours. */
const heldLocks = new Set<string>();

/** The embedded data directory is open in another process (or elsewhere in this one). */
export class DatabaseInUseError extends Error {
  override name = 'DatabaseInUseError';
}

export class PgliteDatabase extends Database {
  readonly driver = 'pglite' as const;

  private constructor(
    private readonly pglite: PGlite,
    private readonly lockFile: string,
    logger: Logger,
  ) {
    super(logger);
  }

  /** Opens (creating on first use, ~2 s) the database in `dataDir`, taking its lock file. */
  static async openDirectory(dataDir: string, logger: Logger): Promise<PgliteDatabase> {
    const directory = path.resolve(dataDir);
    await mkdir(path.dirname(directory), { recursive: true });
    const lockFile = `${directory}.lock`;
    await acquireLock(lockFile);
    try {
      const started = Date.now();
      const pglite = await PGlite.create(directory, {
        // node-postgres returns int8 as a string (it may exceed 2^53); PGlite would return a number.
        parsers: { [INT8_OID]: (value: string) => value },
      });
      logger.info({ driver: 'pglite', dataDir: directory, ms: Date.now() - started }, 'database opened');
      return new PgliteDatabase(pglite, lockFile, logger);
    } catch (error) {
      await releaseLock(lockFile);
      throw error;
    }
  }

  protected async runQuery<Row>(sql: string, params: readonly unknown[]): Promise<Row[]> {
    return (await this.pglite.query<Row>(sql, params as unknown[])).rows;
  }

  protected async runExec(sql: string): Promise<void> {
    await this.pglite.exec(sql);
  }

  protected async runTransaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    // PGlite's own transaction(): BEGIN/COMMIT/ROLLBACK, holding its one connection throughout,
    // so other callers' queries wait until it ends.
    return this.pglite.transaction(async (pgliteTx) => {
      const { tx, end } = guardedTransaction({
        query: async <Row>(sql: string, params: readonly unknown[] = []) => (await pgliteTx.query<Row>(sql, params as unknown[])).rows,
        exec: async (sql: string) => {
          await pgliteTx.exec(sql);
        },
      });
      try {
        return await work(tx);
      } finally {
        end();
      }
    });
  }

  protected async shutdown(): Promise<void> {
    try {
      await this.pglite.close();
    } finally {
      await releaseLock(this.lockFile);
    }
  }
}

async function acquireLock(lockFile: string): Promise<void> {
  const directory = lockFile.slice(0, -'.lock'.length);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    // Written aside, then linked into place: the lock file never exists without its pid.
    const draft = `${lockFile}.${process.pid}.tmp`;
    await writeFile(draft, `${process.pid}\n`);
    try {
      await link(draft, lockFile);
      heldLocks.add(lockFile);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(draft).catch(() => undefined);
    }
    const owner = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10);
    const ours = heldLocks.has(lockFile);
    if (ours || (owner !== process.pid && isRunning(owner))) {
      throw new DatabaseInUseError(
        `the embedded database in ${directory} is already open in ${ours ? 'this process' : `process ${owner}`}. ` +
          'Stop that process first, or use PostgreSQL (DATABASE_URL) to share one database. ' +
          `If no such process exists, delete ${lockFile}.`,
      );
    }
    // Left behind by a process that ended without closing: take it over. (Two processes taking
    // over the same stale lock at the same instant could both succeed; a narrow window we accept.)
    await unlink(lockFile).catch(() => undefined);
  }
  throw new DatabaseInUseError(`could not take the lock file ${lockFile}: another process keeps creating it`);
}

async function releaseLock(lockFile: string): Promise<void> {
  heldLocks.delete(lockFile);
  await unlink(lockFile).catch(() => undefined);
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
