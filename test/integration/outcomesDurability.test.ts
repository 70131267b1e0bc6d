/**
 * An acknowledged outcome is recorded exactly once (invariant 6 of DESIGN.md), whatever happens
 * between the acknowledgement and the record: a thousand submissions at once, the worker process
 * killed in the middle of a job, Redis going down between enqueue and processing. Real Redis, the
 * real worker (in a child process where it is killed), PGlite, and PostgreSQL when
 * TEST_DATABASE_URL is set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Database } from '../../server/src/db/database.js';
import { migrate } from '../../server/src/db/migrate.js';
import { OutcomeProducer, type CheckedVisit } from '../../server/src/outcomes/outcomeProducer.js';
import type { RecordJobResult } from '../../server/src/outcomes/outcomeJobs.js';
import { OutcomeWorker } from '../../server/src/outcomes/outcomeWorker.js';
import { connectRedis } from '../../server/src/redis/connectRedis.js';
import { EmbeddedRedis } from '../../server/src/redis/embeddedRedis.js';
import { TrackingCodes } from '../../server/src/tracking/trackingCodes.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { freePort, waitFor } from '../support/testServer.js';
import { describeEachDatabase, testLogger, type FreshDatabase } from './databaseTargets.js';
import {
  approval,
  FAST_OUTCOME_ENV,
  FAST_OUTCOMES,
  outcomeRows,
  recordedAuditEvents,
  recordQueue,
  seededVisit,
  seedOutcomeRows,
  type OutcomeSeed,
} from '../support/outcomeFixtures.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Opens the fresh database, applies the schema and seeds the rows outcomes refer to. */
async function preparedDatabase(fresh: FreshDatabase): Promise<{ db: Database; seed: OutcomeSeed; codes: TrackingCodes }> {
  const db = await fresh.open();
  await migrate(db);
  return { db, seed: await seedOutcomeRows(db, testLogger()), codes: await TrackingCodes.load(db) };
}

/** Submits one approval per visit through the producer, all at once; resolves once every one is acknowledged. */
async function submitAll(redis: Redis, codes: TrackingCodes, visits: CheckedVisit[]): Promise<void> {
  const producer = OutcomeProducer.create(redis, codes, FAST_OUTCOMES, testLogger());
  try {
    await Promise.all(visits.map((visit) => producer.submit(visit, approval(visit), [])));
  } finally {
    await producer.close();
  }
}

/** Checks that the database holds exactly one outcome (and one audit event) per visit, and nothing else. */
async function expectOneRecordEach(db: Database, visits: CheckedVisit[]): Promise<void> {
  const rows = await outcomeRows(db);
  expect(rows).toHaveLength(visits.length);
  expect(rows.map((row) => row.visit_id).sort()).toEqual(visits.map((visit) => visit.visitId).sort());
  expect(await recordedAuditEvents(db)).toHaveLength(visits.length);
}

/** Whether all `count` jobs of `queue` are completed; throws as soon as one has failed, since waiting longer cannot help. */
async function allCompleted(queue: Queue, count: number): Promise<boolean> {
  const [failed] = await queue.getFailed(0, 0);
  if (failed) throw new Error(`job ${failed.id} failed: ${failed.failedReason}`);
  return (await queue.getCompletedCount()) === count;
}

/** The process id of the redis-server behind `redis`, as it reports it. */
async function redisPid(redis: Redis): Promise<number> {
  const pid = /process_id:(\d+)/.exec(await redis.info('server'))?.[1];
  if (pid === undefined) throw new Error('redis did not report its process id');
  return Number(pid);
}

describeEachDatabase('recording outcomes exactly once', (target) => {
  let fresh: FreshDatabase;
  let redis: TestRedis;

  beforeEach(async () => {
    fresh = await target.fresh();
    redis = await startTestRedis();
  });

  afterEach(async () => {
    // A failed test may leave a worker process running: it must not outlive the test.
    await Promise.all(WorkerProcess.started.splice(0).map((worker) => worker.kill()));
    await redis?.stop();
    await fresh?.dispose();
  });

  test('1,000 distinct outcomes submitted at once are recorded exactly once each', async () => {
    const { db, seed, codes } = await preparedDatabase(fresh);
    const worker = OutcomeWorker.start({ redis: redis.client, db, config: FAST_OUTCOMES, logger: testLogger() });
    try {
      const visits = Array.from({ length: 1000 }, (_, index) => seededVisit(seed, index));
      await submitAll(redis.client, codes, visits);
      const queue = recordQueue(redis.client);
      try {
        await waitFor('every job is completed', () => allCompleted(queue, visits.length), 60_000, 200);
      } finally {
        await queue.close();
      }
      await expectOneRecordEach(db, visits);
    } finally {
      await worker.close();
      await db.close();
    }
  }, 90_000);

  test('a worker process killed after committing an outcome but before completing its job: restarted, every outcome is recorded once', async () => {
    const { db, seed, codes } = await preparedDatabase(fresh);
    const visits = Array.from({ length: 40 }, (_, index) => seededVisit(seed, index));
    await submitAll(redis.client, codes, visits);
    // The embedded database can be open in one process at a time: the worker's, from now on.
    await db.close();
    const pid = await redisPid(redis.client);

    const first = WorkerProcess.start({ ...fresh.env, ...FAST_OUTCOME_ENV, REDIS_URL: redis.url });
    await first.logged('outcome recorded', 1);
    // Redis stops answering: jobs under way still commit in the database (concurrency 4), but
    // none of them can tell Redis it is done.
    process.kill(pid, 'SIGSTOP');
    try {
      const recordedBeforeStop = first.count('outcome recorded');
      await first.logged('outcome recorded', recordedBeforeStop + 1);
      await first.kill();
      // The killed worker's last commands (its "job done") sit unread in Redis's socket buffer and
      // run when Redis resumes. Waiting out the job lock first makes them find their lock gone, as
      // for a worker that died before it could send them: nothing but the time of a lock can be awaited.
      await new Promise((resolve) => setTimeout(resolve, Number(FAST_OUTCOME_ENV.OUTCOME_JOB_LOCK_SECONDS) * 1000 + 500));
    } finally {
      process.kill(pid, 'SIGCONT');
    }

    const second = WorkerProcess.start({ ...fresh.env, ...FAST_OUTCOME_ENV, REDIS_URL: redis.url });
    const queue = recordQueue(redis.client);
    let results: RecordJobResult[];
    try {
      await waitFor('every job is completed', () => allCompleted(queue, visits.length), 30_000, 100);
      results = (await queue.getCompleted(0, -1)).map((job) => job.returnvalue as RecordJobResult);
    } finally {
      await queue.close();
    }
    expect(await second.stop()).toBe(0);

    // The job that committed before the kill ran again, found its record, and wrote nothing.
    expect(results.filter((result) => result.status === 'already_recorded').length).toBeGreaterThanOrEqual(1);
    expect(second.count('outcome was already recorded')).toBeGreaterThanOrEqual(1);
    const reopened = await fresh.open();
    try {
      await expectOneRecordEach(reopened, visits);
    } finally {
      await reopened.close();
    }
  }, 90_000);

  test('Redis killed between enqueue and processing and restarted from its append-only file: every acknowledged outcome is recorded', async () => {
    const { db, seed, codes } = await preparedDatabase(fresh);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bilik-redis-restart-'));
    const options = { serverBin: 'redis-server', port: await freePort(), dataDir };
    const logger = testLogger();
    let embedded = await EmbeddedRedis.start(options, logger);
    let client = await connectRedis(embedded.url, logger);
    try {
      const visits = Array.from({ length: 50 }, (_, index) => seededVisit(seed, index));
      await submitAll(client, codes, visits);

      // A crash rather than a clean stop, which would flush everything anyway. Redis writes each
      // command to its append-only file before it answers, except while a slow fsync makes it
      // postpone the write (up to 2 s with appendfsync everysec): once nothing waits in its AOF
      // buffer, every acknowledged job is in the file, and a SIGKILL (unlike a power cut, which
      // can lose the last second) loses none of it.
      await waitFor('the append-only buffer is written', async () => /aof_buffer_length:0\r?\n/.test(await client.info('persistence')));
      const pid = await redisPid(client);
      client.disconnect();
      process.kill(pid, 'SIGKILL');
      await embedded.stop();

      embedded = await EmbeddedRedis.start(options, logger);
      client = await connectRedis(embedded.url, logger);
      const worker = OutcomeWorker.start({ redis: client, db, config: FAST_OUTCOMES, logger });
      try {
        await waitFor('every acknowledged outcome is recorded', async () => (await outcomeRows(db)).length >= visits.length, 30_000, 100);
      } finally {
        await worker.close();
      }
      await expectOneRecordEach(db, visits);
    } finally {
      client.disconnect();
      await embedded.stop();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** `server/src/worker.ts` (what `npm run worker` runs) as a child process, with its log lines. */
class WorkerProcess {
  /** Every worker process started, for the clean-up after each test. */
  static readonly started: WorkerProcess[] = [];
  private readonly messages: string[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        const message = parseLogMessage(line);
        if (message !== null) this.messages.push(message);
      }
      for (const wake of this.waiters) wake();
    });
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
  }

  /** Starts the worker with only `env` (and PATH) as its environment. */
  static start(env: Record<string, string>): WorkerProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/worker.ts'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const worker = new WorkerProcess(child);
    WorkerProcess.started.push(worker);
    return worker;
  }

  /** How many log lines had this message so far. */
  count(message: string): number {
    return this.messages.filter((logged) => logged === message).length;
  }

  /** Resolves once `times` log lines had this message; rejects if the process exits first or after 20 s. */
  logged(message: string, times: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`the worker did not log '${message}' ${times} times within 20 s`)), 20_000);
      const check = (): void => {
        if (this.count(message) >= times) done();
      };
      const done = (error?: Error): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (error) reject(error);
        else resolve();
      };
      this.waiters.add(check);
      void this.exited.then(() => done(new Error(`the worker exited before logging '${message}' ${times} times`)));
      check();
    });
  }

  /** SIGKILL: no chance to finish anything. Resolves at once when it already exited. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM: the worker finishes its jobs under way and exits; resolves with its exit code. */
  stop(): Promise<number | null> {
    this.child.kill('SIGTERM');
    return this.exited;
  }
}

/** The `msg` of one pino JSON line, or null for anything else. */
function parseLogMessage(line: string): string | null {
  try {
    const parsed = JSON.parse(line) as { msg?: unknown };
    return typeof parsed.msg === 'string' ? parsed.msg : null;
  } catch {
    return null;
  }
}
