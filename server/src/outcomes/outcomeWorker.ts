/**
 * The worker that records verification outcomes (and forwards them, when a back office is
 * configured). It runs inside `npm start` and as `npm run worker`; with PostgreSQL any number may
 * run at once, since the database's unique key, not the job, decides what is recorded.
 *
 * A worker that dies mid-job leaves the job locked; once the lock expires another worker (or this
 * one, restarted) takes it again. If its transaction had committed, the retry finds the record and
 * succeeds without writing a second one.
 */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Counter } from 'prom-client';
import type { OutcomeConfig } from '../config.js';
import type { Database } from '../db/database.js';
import { describeFirstIssue } from '../errors.js';
import type { Logger } from '../logger.js';
import { DecisionNotices } from '../tracking/decisionNotices.js';
import { forwardOutcome } from './outcomeForwarder.js';
import {
  FORWARD_QUEUE,
  forwardJobOptions,
  forwardable,
  forwardJobSchema,
  forwardQueueOn,
  forwardRetryDelay,
  QUEUE_PREFIX,
  RECORD_QUEUE,
  recordJobSchema,
  type ForwardJobData,
  type RecordJobData,
  type RecordJobResult,
} from './outcomeJobs.js';
import { recordOutcome } from './outcomeRecorder.js';
import { VisitDecisions } from './visitDecisions.js';

/**
 * How often a job may be found abandoned by a dead worker and taken again before it fails:
 * retaking is safe (recording is idempotent), so more than BullMQ's default of one.
 */
const MAX_STALLS = 5;

/**
 * How long closing waits for the jobs under way: more than a recording or one forwarding attempt
 * takes. Without Redis BullMQ never finishes closing; giving up then is safe, since a job left
 * unfinished is taken again once its lock expires, and recording is idempotent.
 */
const CLOSE_GRACE_MS = 15_000;

export interface OutcomeWorkerOptions {
  /** A client of the Redis holding the queues; the worker makes its own connections from it. */
  redis: Redis;
  db: Database;
  config: OutcomeConfig;
  logger: Logger;
  /** Counts failed forwarding attempts; absent in a process without metrics (`npm run worker`). */
  forwardFailures?: Counter;
}

export class OutcomeWorker {
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly connection: Redis,
    private readonly reconnection: { allowed: boolean },
    private readonly workers: Worker[],
    private readonly forwardQueue: Queue<ForwardJobData> | null,
    private readonly logger: Logger,
  ) {}

  /** Starts taking jobs at once. */
  static start(options: OutcomeWorkerOptions): OutcomeWorker {
    const { db, config } = options;
    const logger = options.logger.child({ module: 'outcome-worker' });
    // Workers wait out a Redis outage instead of failing commands: a job whose transaction committed
    // must still be able to report itself done once Redis is back.
    // BullMQ duplicates this connection for each worker's blocking reads, with the same retry
    // strategy, so turning `allowed` off ends all of them at their next attempt.
    const reconnection = { allowed: true };
    const connection = options.redis.duplicate({
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      retryStrategy: (attempt) => (reconnection.allowed ? Math.min(attempt * 50, 2000) : null),
    });
    connection.on('error', (error: Error) => logger.debug({ err: error.message }, 'redis connection error'));
    const common = {
      connection,
      prefix: QUEUE_PREFIX,
      concurrency: config.worker.concurrency,
      lockDuration: config.worker.lockMs,
      stalledInterval: config.worker.stalledIntervalMs,
      maxStalledCount: MAX_STALLS,
    };
    const decisions = new VisitDecisions(connection);
    const notices = new DecisionNotices(connection, logger);
    const forward = config.forward;
    const forwardQueue = forward ? forwardQueueOn(connection, logger) : null;

    const record = async (job: Job<RecordJobData, RecordJobResult>): Promise<RecordJobResult> => {
      const parsed = recordJobSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`the job is not a valid outcome${describeFirstIssue(parsed.error)}`);
      const outcome = parsed.data;
      const result = await recordOutcome(db, outcome, config.reviewShare).catch(async (error: unknown) => {
        // Never recordable: the visit's decision is free again, for a corrected submission, and
        // the claimant is not told of it when the session ends.
        if (error instanceof UnrecoverableError) {
          await decisions.release(outcome.visitId, { kind: 'outcome', submissionId: outcome.submissionId });
          await notices.forget(outcome.visitId);
        }
        throw error;
      });
      logger.info(
        { jobId: job.id, visitId: outcome.visitId, attempt: job.attemptsMade + 1, review: result.review },
        result.status === 'recorded' ? 'outcome recorded' : 'outcome was already recorded',
      );
      // Enqueued by every attempt that gets here, also after "already recorded": an attempt that
      // died between the commit and this line leaves it to the retry. One job per visit (its id).
      // An outcome under review is forwarded by its confirmation instead (OutcomeReviews.confirm).
      if (forwardQueue && forwardable(result.review)) {
        const { visitId, branchId, boothId, officerId, decision } = outcome;
        await forwardQueue.add('forward', { visitId, branchId, boothId, officerId, decision }, forwardJobOptions(config, visitId));
      }
      return result;
    };
    const workers: Worker[] = [new Worker<RecordJobData, RecordJobResult>(RECORD_QUEUE, record, common)];

    if (forward) {
      const send = async (job: Job<ForwardJobData>): Promise<void> => {
        const parsed = forwardJobSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`the job is not a valid forwarding${describeFirstIssue(parsed.error)}`);
        try {
          await forwardOutcome(db, forward, parsed.data.visitId);
        } catch (error) {
          options.forwardFailures?.inc();
          throw error;
        }
        logger.info({ jobId: job.id, visitId: parsed.data.visitId, attempt: job.attemptsMade + 1 }, 'outcome forwarded');
      };
      workers.push(
        new Worker<ForwardJobData>(FORWARD_QUEUE, send, {
          ...common,
          settings: { backoffStrategy: (attemptsMade: number) => forwardRetryDelay(config.retryDelayMs, attemptsMade) },
        }),
      );
    }

    for (const worker of workers) {
      worker.on('error', (error) => logger.warn({ queue: worker.name, err: error.message }, 'outcome worker error'));
      worker.on('failed', (job, error) => {
        const final = job !== undefined && (error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1));
        logger[final ? 'error' : 'warn'](
          {
            queue: worker.name,
            jobId: job?.id,
            visitId: (job?.data as { visitId?: unknown } | undefined)?.visitId,
            attempts: job?.attemptsMade,
            reason: error.message,
          },
          final ? 'outcome job failed for good: listed for supervisors' : 'outcome job failed; it will be retried',
        );
      });
    }
    logger.info({ concurrency: config.worker.concurrency, forwarding: forward !== null }, 'outcome worker started');
    return new OutcomeWorker(connection, reconnection, workers, forwardQueue, logger);
  }

  /**
   * Takes no more jobs, lets the ones under way finish (for CLOSE_GRACE_MS at most), then
   * disconnects. Safe to call twice.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const finished = (async () => {
        // With Redis unreachable, jobs under way could never report back: abandon them at once (they
        // are taken again once Redis is back, and recording is idempotent) rather than keep their locks alive.
        const force = this.connection.status !== 'ready';
        await Promise.all(this.workers.map((worker) => worker.close(force)));
        await this.forwardQueue?.close();
        return true;
      })();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS);
      });
      const closed = await Promise.race([finished, deadline]);
      clearTimeout(timer);
      if (!closed)
        this.logger.warn(
          { graceMs: CLOSE_GRACE_MS },
          'outcome worker did not close in time (is Redis down?); its unfinished jobs will be taken again',
        );
      // Otherwise the workers' blocking connections would go on reconnecting, and keep the process alive.
      this.reconnection.allowed = false;
      this.connection.disconnect();
    })();
    return this.closing;
  }
}
