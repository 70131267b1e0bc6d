/**
 * The records database: PostgreSQL (through a `pg` pool) when DATABASE_URL is set, otherwise
 * embedded PGlite with its files under DATA_DIR/pglite. Both sit behind one small interface so
 * the rest of the server, and its tests, run the same SQL on either; openDatabase.ts opens one.
 *
 * Both drivers return the same JavaScript types: int8 (bigint, count(*)) as a string, numeric
 * as a string, timestamptz as a Date, uuid as a string, json/jsonb parsed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../logger.js';

/** What can run SQL: the database itself, or one transaction in it. */
export interface Queryable {
  /** Runs one statement with $1-style parameters and returns its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs SQL text that may hold several statements, without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** One open transaction; valid only inside the `transaction()` callback that received it. */
export type Transaction = Queryable;

/** Which engine a Database runs on. */
export type DatabaseDriver = 'postgres' | 'pglite';

/**
 * A failed statement, without the driver's `detail` and parameters: those echo the values
 * involved (a username, a display name) and errors end up in logs.
 */
export class DatabaseError extends Error {
  override name = 'DatabaseError';
  /** The SQLSTATE, e.g. '23505' for a unique violation; undefined for connection failures. */
  readonly code: string | undefined;
  /** The constraint that was violated, when one was. */
  readonly constraint: string | undefined;

  constructor(message: string, code: string | undefined, constraint: string | undefined) {
    super(message);
    this.code = code;
    this.constraint = constraint;
  }
}

/** SQLSTATE of a unique violation. */
export const UNIQUE_VIOLATION = '23505';
/** SQLSTATE of a foreign key violation. */
export const FOREIGN_KEY_VIOLATION = '23503';

/** Whether `error` is a violation of this SQLSTATE (and, when given, of this constraint). */
export function isViolation(error: unknown, code: string, constraint?: string): boolean {
  return error instanceof DatabaseError && error.code === code && (constraint === undefined || error.constraint === constraint);
}

const PING_TIMEOUT_MS = 1000;

/** Marks the async context of a transaction's callback, to catch `db.query()` used by mistake inside it. */
const insideTransaction = new AsyncLocalStorage<Database>();

export abstract class Database implements Queryable {
  abstract readonly driver: DatabaseDriver;
  #closing: Promise<void> | undefined;

  protected constructor(protected readonly logger: Logger) {}

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  async query<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    this.assertUsable('query');
    return this.runQuery<Row>(sql, params).catch(rethrowAsDatabaseError);
  }

  async exec(sql: string): Promise<void> {
    this.assertUsable('exec');
    return this.runExec(sql).catch(rethrowAsDatabaseError);
  }

  /**
   * Runs `work` in one transaction: BEGIN, then COMMIT when it resolves or ROLLBACK when it
   * throws (the error is rethrown). Inside it, use only `tx`: `db.query()` there would run outside
   * the transaction on PostgreSQL and wait forever on PGlite, so it throws instead.
   */
  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    this.assertUsable('transaction');
    return this.runTransaction((tx) => insideTransaction.run(this, () => work(tx))).catch(rethrowAsDatabaseError);
  }

  /** Whether the database answers a trivial query within a second (readiness). */
  async ping(): Promise<boolean> {
    if (this.closed) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
    });
    try {
      const answer = this.runQuery<{ ok: number }>('select 1 as ok', []).then((rows) => rows[0]?.ok === 1);
      return await Promise.race([answer, timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the pool or the embedded database. Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= this.shutdown().then(() => this.logger.info('database closed'));
    return this.#closing;
  }

  // Drivers throw their own errors; query(), exec(), transaction() and guardedTransaction()
  // turn them into DatabaseErrors in one place.
  protected abstract runQuery<Row>(sql: string, params: readonly unknown[]): Promise<Row[]>;
  protected abstract runExec(sql: string): Promise<void>;
  protected abstract runTransaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  protected abstract shutdown(): Promise<void>;

  private assertUsable(operation: string): void {
    if (this.closed) throw new Error(`database ${operation}() after close()`);
    if (insideTransaction.getStore() === this) {
      throw new Error(`database ${operation}() inside a transaction: use the transaction's own tx.query()/tx.exec()`);
    }
  }
}

/**
 * Wraps a transaction's queries so that using `tx` after its transaction ended fails clearly
 * instead of running on a connection that is back in the pool.
 */
export function guardedTransaction(target: Queryable): { tx: Transaction; end: () => void } {
  let ended = false;
  const check = (): void => {
    if (ended) throw new Error('transaction used after it ended');
  };
  return {
    tx: {
      query: async <Row>(sql: string, params?: readonly unknown[]) => {
        check();
        return target.query<Row>(sql, params).catch(rethrowAsDatabaseError);
      },
      exec: async (sql) => {
        check();
        return target.exec(sql).catch(rethrowAsDatabaseError);
      },
    },
    end: () => {
      ended = true;
    },
  };
}

function rethrowAsDatabaseError(error: unknown): never {
  throw toDatabaseError(error);
}

/** Turns a driver's error into a DatabaseError without the values it echoes; passes others on. */
export function toDatabaseError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof DatabaseError) return error;
  const fields = error as Error & { code?: unknown; constraint?: unknown; severity?: unknown };
  // Server-reported errors carry a severity; socket errors (ECONNREFUSED...) pass on unchanged.
  if (typeof fields.severity !== 'string') return error;
  return new DatabaseError(
    error.message,
    typeof fields.code === 'string' ? fields.code : undefined,
    typeof fields.constraint === 'string' ? fields.constraint : undefined,
  );
}
