/**
 * How many outcome jobs wait, run, wait for a retry or failed for good, per queue, for the
 * metrics: one count command per queue, whichever process's workers run the jobs.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { OutcomeJobCounts as Counts } from '../metrics.js';
import { readOutcomeQueues } from './outcomeJobs.js';

export class OutcomeJobCounts {
  private constructor(private readonly queues: ReadonlyArray<{ kind: Counts['queue']; queue: Queue }>) {}

  /** Reads the queues through `redis`, which it shares and does not close. */
  static create(redis: Redis, logger: Logger): OutcomeJobCounts {
    return new OutcomeJobCounts(readOutcomeQueues(redis, logger.child({ module: 'outcome-job-counts' })));
  }

  /** Each queue's jobs by state, now. */
  async counts(): Promise<Counts[]> {
    return Promise.all(
      this.queues.map(async ({ kind, queue }) => {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
        return {
          queue: kind,
          waiting: counts.waiting ?? 0,
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failed: counts.failed ?? 0,
        };
      }),
    );
  }

  /** Stops using Redis (the shared client stays open). */
  async close(): Promise<void> {
    await Promise.all(this.queues.map(({ queue }) => queue.close()));
  }
}
