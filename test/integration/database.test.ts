/**
 * The records database on both engines: migrations (once, idempotent, concurrent), transactions,
 * errors without personal data, readiness, and the embedded database's lock against a second opener.
 */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { DatabaseError, UNIQUE_VIOLATION, type Database } from '../../server/src/db/database.js';
import { loadMigrations, migrate } from '../../server/src/db/migrate.js';
import { openDatabase } from '../../server/src/db/openDatabase.js';
import { DatabaseInUseError } from '../../server/src/db/pgliteDatabase.js';
import { describeEachDatabase, testLogger, type FreshDatabase } from './databaseTargets.js';

describeEachDatabase('records database', (target) => {
  let fresh: FreshDatabase;
  let db: Database;

  beforeAll(async () => {
    fresh = await target.fresh();
    db = await fresh.open();
  });

  afterAll(async () => {
    await db?.close();
    await fresh?.dispose();
  });

  test('two migrate() calls at once on an empty database apply each migration exactly once', async () => {
    const versions = (await loadMigrations()).map((migration) => migration.version);
    // On PostgreSQL two pools stand for two server processes; PGlite has one connection per
    // process (a second process cannot open it), so the same database migrates twice at once.
    const other = target.name === 'PostgreSQL' ? await fresh.open() : db;
    try {
      const [first, second] = await Promise.all([migrate(db), migrate(other)]);
      expect([...first, ...second].map((migration) => migration.version).sort((a, b) => a - b)).toEqual(versions);
    } finally {
      if (other !== db) await other.close();
    }
    const recorded = await db.query<{ version: number }>('select version from schema_migrations order by version');
    expect(recorded.map((row) => row.version)).toEqual(versions);
  });

  test('migrating an up-to-date database applies nothing and leaves the records as they were', async () => {
    const before = await db.query('select version, name, applied_at from schema_migrations order by version');
    await expect(migrate(db)).resolves.toEqual([]);
    await expect(db.query('select version, name, applied_at from schema_migrations order by version')).resolves.toEqual(before);
  });

  test("the migrations create branches, accounts and their coverage, booths, enrolment codes, the audit trail, outcomes, documents, shared secrets, sign-in lock-outs, visits ended without decision, wrap-up codes and each queue's figures per day, with uuids made by the database", async () => {
    const tables = await db.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = current_schema() order by table_name`,
    );
    expect(tables.map((row) => row.table_name)).toEqual([
      'account_branches',
      'accounts',
      'audit_events',
      'booths',
      'branches',
      'documents',
      'enrolment_codes',
      'outcomes',
      'queue_days',
      'schema_migrations',
      'server_secrets',
      'sign_in_lockouts',
      'undecided_visits',
      'visit_wrap_ups',
      'wrap_up_codes',
    ]);
    const [row] = await db.query<{ id: string }>(
      `insert into accounts (username, display_name, role, password_hash) values ('uuid.check', 'x', 'officer', 'x') returning id`,
    );
    expect(row!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await db.query(`delete from accounts where username = 'uuid.check'`);
  });

  test('a migration that fails is rolled back whole and not recorded', async () => {
    const broken = { version: 999, name: 'broken', sql: 'create table half_done (id int); select 1 / 0;' };
    await expect(migrate(db, { migrations: [...(await loadMigrations()), broken] })).rejects.toThrow(/division by zero/);
    await expect(db.query(`select to_regclass('half_done') as name`)).resolves.toEqual([{ name: null }]);
    await expect(db.query('select 1 from schema_migrations where version = 999')).resolves.toEqual([]);
  });

  test('a transaction commits what its callback did and returns its result', async () => {
    const result = await db.transaction(async (tx) => {
      await tx.query(`insert into branches (id, name) values ('tx-commit', 'Commit')`);
      return 'done';
    });
    expect(result).toBe('done');
    await expect(db.query(`select name from branches where id = 'tx-commit'`)).resolves.toEqual([{ name: 'Commit' }]);
  });

  test('a transaction whose callback throws is rolled back and the error rethrown', async () => {
    const failure = new Error('changed my mind');
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`insert into branches (id, name) values ('tx-rollback', 'Rollback')`);
        throw failure;
      }),
    ).rejects.toBe(failure);
    await expect(db.query(`select 1 from branches where id = 'tx-rollback'`)).resolves.toEqual([]);
  });

  test('db.query() inside a transaction callback is refused (it would wait forever on PGlite), and tx used later fails', async () => {
    let leaked: { query: (sql: string) => Promise<unknown> } | undefined;
    await expect(
      db.transaction(async (tx) => {
        leaked = tx;
        return db.query('select 1');
      }),
    ).rejects.toThrow(/inside a transaction/);
    await expect(leaked!.query('select 1')).rejects.toThrow(/transaction used after it ended/);
  });

  test('nobody sees the rows of a transaction before it commits (on PGlite, other callers wait for it)', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedNow = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.query(`insert into branches (id, name) values ('tx-isolated', 'Isolated')`);
      inserted();
      await held;
    });
    await insertedNow;
    const outside = db.query<{ n: string }>(`select count(*) as n from branches where id = 'tx-isolated'`);
    if (target.name === 'PGlite') {
      // One connection: the query is queued behind the transaction.
      const state = await Promise.race([outside.then(() => 'answered'), new Promise((resolve) => setTimeout(resolve, 100, 'waiting'))]);
      expect(state).toBe('waiting');
      release();
      await transaction;
      await expect(outside).resolves.toEqual([{ n: '1' }]);
    } else {
      await expect(outside).resolves.toEqual([{ n: '0' }]);
      release();
      await transaction;
    }
  });

  test('both engines return the same JavaScript types: int8 and numeric as strings, timestamptz as Date, arrays, json', async () => {
    const [row] = await db.query(
      `select 2::int8 as big, 3::int4 as small, 1.5::numeric as num, now() as at, array['a','b'] as list, '{"k":1}'::jsonb as doc, true as flag`,
    );
    expect(row).toEqual({ big: '2', small: 3, num: '1.5', at: expect.any(Date), list: ['a', 'b'], doc: { k: 1 }, flag: true });
  });

  test('a violated constraint is a DatabaseError with its code and constraint, but without the values involved', async () => {
    await db.query(`insert into branches (id, name) values ('dup-branch', 'First')`);
    const error = await db.query(`insert into branches (id, name) values ('dup-branch', 'Second')`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error).toMatchObject({ code: UNIQUE_VIOLATION, constraint: 'branches_pkey' });
    // The drivers' `detail` says "Key (id)=(dup-branch) already exists"; PGlite's error also carries the parameters.
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain('dup-branch');
  });

  test('ping answers while open; close is safe twice, after which ping is false and queries fail clearly', async () => {
    const second = target.name === 'PostgreSQL' ? await fresh.open() : db;
    await expect(second.ping()).resolves.toBe(true);
    if (second === db) return; // PGlite has one instance per directory: closing is covered below
    await second.close();
    await second.close();
    await expect(second.ping()).resolves.toBe(false);
    await expect(second.query('select 1')).rejects.toThrow(/after close/);
  });

  // PGlite takes no lock of its own: two openers would each run PostgreSQL over the same files.
  const embeddedOnly = target.name === 'PGlite' ? test : test.skip;

  embeddedOnly('a second opener of an open embedded database is refused; once closed (safely twice) it opens again', async () => {
    await expect(fresh.open()).rejects.toThrow(DatabaseInUseError);
    await expect(fresh.open()).rejects.toThrow(/already open in this process/);
    await db.close();
    await db.close();
    await expect(db.ping()).resolves.toBe(false);
    db = await fresh.open();
    const versions = (await loadMigrations()).length;
    await expect(db.query('select count(*) as n from schema_migrations')).resolves.toEqual([{ n: String(versions) }]);
  });

  embeddedOnly('a lock file left by a process that ended without closing is taken over', async () => {
    await db.close();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const { dataDir } = (fresh.config as { embedded: { dataDir: string } }).embedded;
    await writeFile(`${dataDir}.lock`, `${dead}\n`);
    db = await openDatabase(fresh.config, testLogger());
    await expect(db.ping()).resolves.toBe(true);
  });
});

describe('PostgreSQL connection', () => {
  test('an unreachable server fails to open with the reason, naming DATABASE_URL', async () => {
    await expect(openDatabase({ url: 'postgresql://bilik@127.0.0.1:1/bilik' }, testLogger())).rejects.toThrow(
      /cannot connect to PostgreSQL \(DATABASE_URL\): .*ECONNREFUSED/,
    );
  });
});
