/**
 * Benchmark: recording verification outcomes.
 *
 * - Throughput: OUTCOMES outcomes wait in the queue, then the workers start. The clock runs from
 *   the moment the last of them is up (its "outcome worker started" log line) to the last job done
 *   (its `finishedOn`), counting the jobs done in that window, so a worker that starts a little
 *   earlier does not flatter the figure. (A paused queue would not do: resuming it wakes one
 *   waiting worker, and the other sleeps out its 5 s poll.) Outcomes recorded per second with one
 *   worker process and with two. PGlite can be open in one process only, so two workers run on
 *   PostgreSQL; one worker runs on both.
 * - Latency: RATE outcomes per second for SECONDS, steadily, to one running worker; each outcome's
 *   time from the producer's `add` being sent to its job being done (committed in the database,
 *   then marked done in Redis): p50, p99, max. Target: p99 under 200 ms at 50 outcomes/s.
 *
 * The producer is the server's (OutcomeProducer, what `outcome:submit` calls); the workers are the
 * real `server/src/worker.ts` processes (what `npm run worker` runs), logging at info as in
 * production. Redis as embedded (append-only, fsync every second). PostgreSQL with its defaults
 * (fsync and synchronous commit on): BENCH_DATABASE_URL, or else a throw-away cluster started with
 * initdb and pg_ctl on a free loopback port (as user postgres when run as root).
 *
 * Run: npm run bench:outcomes   (OUTCOMES=5000 RATE=50 SECONDS=30 CONCURRENCY=4 by default)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OutcomeSubmission, RecordedLivenessChallenge } from '@bilik/shared';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import pg from 'pg';
import type { DatabaseConfig } from '../server/src/config.js';
import { openDatabase } from '../server/src/db/openDatabase.js';
import { migrate } from '../server/src/db/migrate.js';
import { createLogger } from '../server/src/logger.js';
import { KEPT_COMPLETED_JOBS, QUEUE_PREFIX, RECORD_QUEUE } from '../server/src/outcomes/outcomeJobs.js';
import { OutcomeProducer, type CheckedVisit } from '../server/src/outcomes/outcomeProducer.js';
import { connectRedis } from '../server/src/redis/connectRedis.js';
import { EmbeddedRedis } from '../server/src/redis/embeddedRedis.js';
import { TrackingCodes } from '../server/src/tracking/trackingCodes.js';
import { approval, seededVisit, seedOutcomeRows, type OutcomeSeed } from '../test/support/outcomeFixtures.js';
import { POSTGRES_BIN, throwAwayPostgres } from '../test/support/postgres.js';
import { freePort } from '../test/support/testServer.js';
import { machineLine } from './benchSummary.js';

const OUTCOMES = Number(process.env.OUTCOMES ?? 5000);
const RATE = Number(process.env.RATE ?? 50);
const SECONDS = Number(process.env.SECONDS ?? 30);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL?.trim() || undefined;

const REPO_ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BOOTHS = 6;
/** Outcomes sent and awaited before each latency run, so the first measured one finds everything warm. */
const WARM_UP = 50;
/** The attempt settings of the server's defaults. */
const JOB_SETTINGS = { attempts: 8, retryDelayMs: 2000 };

// The script prints its own results; its logs are for problems only.
const logger = createLogger('error');

/** A database the benchmark runs on: how workers reach it, and how to open it here. */
interface BenchDatabase {
  label: string;
  /** Environment variables that point a worker at it. */
  env: Record<string, string>;
  /** Opened here only while no worker runs: PGlite can be open in one process at a time. */
  config: DatabaseConfig;
}

interface Seeded {
  seed: OutcomeSeed;
  codes: TrackingCodes;
}

/** Busy and total CPU time of the whole machine so far (all cores, ms). */
function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** BENCH_DATABASE_URL with a schema of its own, dropped by `stop`. */
async function givenPostgres(url: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const schema = `bilik_bench_${process.pid}`;
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await admin(`create schema ${schema}`);
  const separator = url.includes('?') ? '&' : '?';
  return {
    url: `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    stop: () => admin(`drop schema ${schema} cascade`),
  };
}

/** Applies the schema and creates the branch, officer and booths outcomes refer to. */
async function seed(database: BenchDatabase): Promise<Seeded> {
  const db = await openDatabase(database.config, logger);
  try {
    await migrate(db);
    return { seed: await seedOutcomeRows(db, logger, BOOTHS), codes: await TrackingCodes.load(db) };
  } finally {
    await db.close();
  }
}

/** Counts the recorded outcomes (closing the database again, for PGlite's sake). */
async function recordedCount(database: BenchDatabase): Promise<number> {
  const db = await openDatabase(database.config, logger);
  try {
    return Number((await db.query<{ count: string }>('select count(*) from outcomes'))[0]!.count);
  } finally {
    await db.close();
  }
}

/** The producer's arguments for seeded visit `index`: an approval, and no liveness challenge (the seeded visits had none). */
function visitAndSubmission(seeded: Seeded, index: number): [CheckedVisit, OutcomeSubmission, RecordedLivenessChallenge[]] {
  const visit = seededVisit(seeded.seed, index);
  return [visit, approval(visit), []];
}

/** A `server/src/worker.ts` process; resolves once it says it started, with that moment. */
async function startWorker(database: BenchDatabase, redisUrl: string): Promise<{ child: ChildProcess; readyAt: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/worker.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'info',
      REDIS_URL: redisUrl,
      OUTCOME_WORKER_CONCURRENCY: String(CONCURRENCY),
      ...database.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const readyAt = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (!seen.includes('"msg":"outcome worker started"')) return;
      child.stdout.off('data', onData);
      // Keep draining its log, as a process manager would.
      child.stdout.resume();
      resolve(Date.now());
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the worker exited with code ${code} while starting`)));
  });
  return { child, readyAt };
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(async (worker) => {
      const exited = once(worker, 'exit');
      worker.kill('SIGTERM');
      await exited;
    }),
  );
}

/** Empties the queue and the outcomes table, so each run starts alike. */
async function reset(database: BenchDatabase, queue: Queue): Promise<void> {
  await queue.obliterate({ force: true });
  const db = await openDatabase(database.config, logger);
  try {
    await db.query("delete from audit_events where action = 'outcome.recorded'");
    await db.query('delete from outcomes');
  } finally {
    await db.close();
  }
}

async function waitForCompleted(queue: Queue, count: number): Promise<void> {
  while ((await queue.getCompletedCount()) < count) {
    if ((await queue.getFailedCount()) > 0) throw new Error('a job failed');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface ThroughputResult {
  database: string;
  workers: number;
  /** Jobs done while every worker was up, and in how long. */
  measured: number;
  seconds: number;
  /** Share of the machine's CPU time in use meanwhile (workers, database, Redis, this script). */
  cpuBusy: number;
  recordedOnce: boolean;
}

async function throughput(
  database: BenchDatabase,
  seeded: Seeded,
  redis: Redis,
  redisUrl: string,
  workerCount: number,
): Promise<ThroughputResult> {
  const queue = new Queue(RECORD_QUEUE, { connection: redis, prefix: QUEUE_PREFIX });
  const producer = OutcomeProducer.create(redis, seeded.codes, JOB_SETTINGS, logger);
  try {
    await reset(database, queue);
    for (let start = 0; start < OUTCOMES; start += 500) {
      const batch = Array.from({ length: Math.min(500, OUTCOMES - start) }, (_, offset) => visitAndSubmission(seeded, start + offset));
      await Promise.all(batch.map((submitted) => producer.submit(...submitted)));
    }
    console.error(`  ${database.label}, ${workerCount} worker(s): ${OUTCOMES} outcomes queued; starting the workers`);
    const started = await Promise.all(Array.from({ length: workerCount }, () => startWorker(database, redisUrl)));
    const workers = started.map((worker) => worker.child);
    try {
      const allUp = Math.max(...started.map((worker) => worker.readyAt));
      const cpuBefore = cpuTimes();
      await waitForCompleted(queue, OUTCOMES);
      const cpuAfter = cpuTimes();
      const cpuBusy = (cpuAfter.busy - cpuBefore.busy) / (cpuAfter.total - cpuBefore.total);
      const finishedAt = (await queue.getCompleted(0, -1)).map((job) => job.finishedOn ?? 0);
      const seconds = (Math.max(...finishedAt) - allUp) / 1000;
      const measured = finishedAt.filter((at) => at > allUp).length;
      await stopWorkers(workers);
      return {
        database: database.label,
        workers: workerCount,
        measured,
        seconds,
        cpuBusy,
        recordedOnce: (await recordedCount(database)) === OUTCOMES,
      };
    } catch (error) {
      await stopWorkers(workers);
      throw error;
    }
  } finally {
    await producer.close();
    await queue.close();
  }
}

interface LatencyResult {
  database: string;
  outcomes: number;
  latencies: number[];
  recordedOnce: boolean;
}

async function latency(database: BenchDatabase, seeded: Seeded, redis: Redis, redisUrl: string): Promise<LatencyResult> {
  const queue = new Queue(RECORD_QUEUE, { connection: redis, prefix: QUEUE_PREFIX });
  const producer = OutcomeProducer.create(redis, seeded.codes, JOB_SETTINGS, logger);
  try {
    await reset(database, queue);
    const { child: worker } = await startWorker(database, redisUrl);
    try {
      await Promise.all(Array.from({ length: WARM_UP }, (_, index) => producer.submit(...visitAndSubmission(seeded, index))));
      await waitForCompleted(queue, WARM_UP);
      const count = RATE * SECONDS;
      console.error(`  ${database.label}: ${count} outcomes at ${RATE}/s`);
      const sent = new Map<string, number>();
      const submissions: Array<Promise<unknown>> = [];
      const start = performance.now();
      for (let index = 0; index < count; index += 1) {
        // Each send is due at its own time on the schedule, not after the previous answer.
        const due = start + (index * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const sentAt = Date.now();
        submissions.push(producer.submit(...visitAndSubmission(seeded, index)).then(({ jobId }) => sent.set(jobId, sentAt)));
      }
      await Promise.all(submissions);
      await waitForCompleted(queue, WARM_UP + count);
      const jobs = await queue.getCompleted(0, -1);
      const latencies = jobs.filter((job) => sent.has(job.id!)).map((job) => job.finishedOn! - sent.get(job.id!)!);
      await stopWorkers([worker]);
      return { database: database.label, outcomes: count, latencies, recordedOnce: (await recordedCount(database)) === WARM_UP + count };
    } catch (error) {
      await stopWorkers([worker]);
      throw error;
    }
  } finally {
    await producer.close();
    await queue.close();
  }
}

async function main(): Promise<void> {
  // Completion is read from the completed jobs Redis keeps, which are trimmed beyond this many.
  if (OUTCOMES + WARM_UP > KEPT_COMPLETED_JOBS || RATE * SECONDS + WARM_UP > KEPT_COMPLETED_JOBS) {
    throw new Error(`OUTCOMES and RATE × SECONDS must stay under ${KEPT_COMPLETED_JOBS - WARM_UP}: only that many completed jobs are kept`);
  }
  const redisDir = await mkdtemp(path.join(os.tmpdir(), 'bilik-bench-redis-'));
  const embedded = await EmbeddedRedis.start({ serverBin: 'redis-server', port: await freePort(), dataDir: redisDir }, logger);
  const redis = await connectRedis(embedded.url, logger);
  const pgliteDir = await mkdtemp(path.join(os.tmpdir(), 'bilik-bench-pglite-'));
  const postgres = BENCH_DATABASE_URL ? await givenPostgres(BENCH_DATABASE_URL) : await throwAwayPostgres('bilik_bench');
  const postgresLabel = BENCH_DATABASE_URL ? 'PostgreSQL (BENCH_DATABASE_URL)' : `PostgreSQL ${postgresVersion()} (throw-away cluster)`;
  console.error(
    `PostgreSQL: ${BENCH_DATABASE_URL ? 'BENCH_DATABASE_URL, in a schema of its own' : 'a throw-away cluster started with initdb and pg_ctl on loopback'}`,
  );
  try {
    const pglite: BenchDatabase = {
      label: 'PGlite (embedded)',
      env: { DATA_DIR: pgliteDir },
      config: { embedded: { dataDir: path.join(pgliteDir, 'pglite') } },
    };
    const postgresDb: BenchDatabase = { label: postgresLabel, env: { DATABASE_URL: postgres.url }, config: { url: postgres.url } };
    const seededPglite = await seed(pglite);
    const seededPostgres = await seed(postgresDb);

    console.error('throughput:');
    const throughputs = [
      await throughput(pglite, seededPglite, redis, embedded.url, 1),
      await throughput(postgresDb, seededPostgres, redis, embedded.url, 1),
      await throughput(postgresDb, seededPostgres, redis, embedded.url, 2),
    ];
    console.error('latency:');
    const latencies = [
      await latency(pglite, seededPglite, redis, embedded.url),
      await latency(postgresDb, seededPostgres, redis, embedded.url),
    ];

    console.log(machineLine(`, worker concurrency ${CONCURRENCY}, Redis ${redisVersion()} on loopback`));
    console.log(`| database | workers | queued | done with every worker up | in | recorded/s | machine CPU busy | each recorded once |`);
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const result of throughputs) {
      const perSecond = Math.round(result.measured / result.seconds);
      const busy = `${Math.round(result.cpuBusy * 100)} %`;
      console.log(
        `| ${result.database} | ${result.workers} | ${OUTCOMES} | ${result.measured} | ${result.seconds.toFixed(2)} s | ${perSecond} | ${busy} | ${result.recordedOnce ? 'yes' : 'NO'} |`,
      );
    }
    console.log('');
    console.log(`| database | workers | rate | outcomes | p50 | p99 | max | each recorded once |`);
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const result of latencies) {
      const sorted = [...result.latencies].sort((a, b) => a - b);
      const ms = (value: number) => `${Math.round(value)} ms`;
      console.log(
        `| ${result.database} | 1 | ${RATE}/s | ${result.outcomes} | ${ms(percentile(sorted, 50))} | ${ms(percentile(sorted, 99))} | ${ms(sorted.at(-1)!)} | ${result.recordedOnce ? 'yes' : 'NO'} |`,
      );
    }
  } finally {
    redis.disconnect();
    await embedded.stop();
    await postgres.stop();
    await rm(redisDir, { recursive: true, force: true });
    await rm(pgliteDir, { recursive: true, force: true });
  }
}

function postgresVersion(): string {
  return /(\d+\.\d+)/.exec(spawnSync(path.join(POSTGRES_BIN, 'pg_ctl'), ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? '';
}

function redisVersion(): string {
  return /v=(\S+)/.exec(spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? '';
}

await main();
