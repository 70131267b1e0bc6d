/**
 * The outcome jobs a branch's supervisors must see: recordings and forwardings that failed for good
 * (kept by BullMQ, never removed automatically) and those that failed and wait to be retried.
 */
import { DECISIONS, type OutcomeFailureView } from '@bilik/shared';
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { readOutcomeQueues } from './outcomeJobs.js';

/**
 * How many failed and how many retrying jobs of each queue are read, newest first, per request.
 * Failures are rare and each one is kept until someone deals with it; a branch's are found among
 * the newest of all branches.
 */
const SCAN_LIMIT = 1000;
/** The most a supervisor is shown at once. */
const SHOWN_LIMIT = 100;

/** What both kinds of job carry that the list shows; anything else in them is ignored here. */
const listedDataSchema = z.object({
  visitId: z.string(),
  branchId: z.string(),
  boothId: z.string(),
  officerId: z.string(),
  decision: z.enum(DECISIONS),
});

export class OutcomeFailures {
  private constructor(private readonly queues: ReadonlyArray<{ kind: OutcomeFailureView['kind']; queue: Queue }>) {}

  /** Reads the queues through `redis`, which it shares and does not close. */
  static create(redis: Redis, logger: Logger): OutcomeFailures {
    const queues = readOutcomeQueues(redis, logger.child({ module: 'outcome-failures' }));
    return new OutcomeFailures(queues);
  }

  /** The branch's failed and retrying outcome jobs, the most recent first. */
  async ofBranch(branchId: string): Promise<OutcomeFailureView[]> {
    const found = await Promise.all(
      this.queues.map(async ({ kind, queue }) => {
        // Supervisor pages ask every 2 s and failures are rare: two counts answer most asks.
        const counts = await queue.getJobCounts('failed', 'delayed');
        if (counts.failed === 0 && counts.delayed === 0) return [];
        const [failed, delayed] = await Promise.all([queue.getFailed(0, SCAN_LIMIT - 1), queue.getDelayed(0, SCAN_LIMIT - 1)]);
        return [
          ...failed.map((job) => view(kind, 'failed', job, branchId)),
          // A delayed job that has been attempted is waiting for its next attempt after a failure.
          ...delayed.filter((job) => job.attemptsMade > 0).map((job) => view(kind, 'retrying', job, branchId)),
        ];
      }),
    );
    return found
      .flat()
      .filter((failure): failure is OutcomeFailureView => failure !== null)
      .sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''))
      .slice(0, SHOWN_LIMIT);
  }

  /** Stops using Redis (the shared client stays open). */
  async close(): Promise<void> {
    await Promise.all(this.queues.map(({ queue }) => queue.close()));
  }
}

/** The job as the list shows it, or null when it belongs to another branch (or is not an outcome job at all). */
function view(kind: OutcomeFailureView['kind'], state: OutcomeFailureView['state'], job: Job, branchId: string): OutcomeFailureView | null {
  const data = listedDataSchema.safeParse(job.data);
  if (!data.success || data.data.branchId !== branchId) return null;
  const endedAt = job.finishedOn ?? job.processedOn;
  return {
    kind,
    state,
    jobId: job.id ?? '',
    visitId: data.data.visitId,
    boothId: data.data.boothId,
    officerId: data.data.officerId,
    decision: data.data.decision,
    attempts: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    lastError: job.failedReason ?? '',
    failedAt: endedAt === undefined ? null : new Date(endedAt).toISOString(),
  };
}
