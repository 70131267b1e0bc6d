/**
 * PostgreSQL through a `pg` pool. A transaction holds one pooled client from BEGIN to
 * COMMIT/ROLLBACK.
 */
import pg from 'pg';
import type { Logger } from '../logger.js';
import { Database, guardedTransaction, type Transaction } from './database.js';

const CONNECT_TIMEOUT_MS = 5000;

export class PostgresDatabase extends Database {
  readonly driver = 'postgres' as const;

  private constructor(
    private readonly pool: pg.Pool,
    logger: Logger,
  ) {
    super(logger);
  }

  /** Opens a pool and checks that the server answers; fails with the server's reason if not. */
  static async connect(url: string, logger: Logger): Promise<PostgresDatabase> {
    const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'bilik' });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on('error', (error) => logger.warn({ err: error.message }, 'idle database connection failed'));
    const database = new PostgresDatabase(pool, logger);
    try {
      await database.query('select 1');
    } catch (error) {
      await pool.end();
      throw new Error(`cannot connect to PostgreSQL (DATABASE_URL): ${(error as Error).message}`);
    }
    logger.info({ driver: 'postgres' }, 'database opened');
    return database;
  }

  protected async runQuery<Row>(sql: string, params: readonly unknown[]): Promise<Row[]> {
    return (await this.pool.query(sql, params as unknown[])).rows as Row[];
  }

  protected async runExec(sql: string): Promise<void> {
    // Without parameters pg uses the simple query protocol, which accepts several statements.
    await this.pool.query(sql);
  }

  protected async runTransaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const { tx, end } = guardedTransaction({
      query: async <Row>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, params as unknown[])).rows as Row[],
      exec: async (sql: string) => {
        await client.query(sql);
      },
    });
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        // The connection itself failed: do not hand it back to the pool.
        broken = true;
      }
      throw error;
    } finally {
      end();
      client.release(broken);
    }
  }

  protected async shutdown(): Promise<void> {
    await this.pool.end();
  }
}
