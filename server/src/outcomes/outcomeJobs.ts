/**
 * The two BullMQ queues of verification outcomes, and what their jobs carry: `outcomes` records an
 * officer's decision in the database, `outcome-forwards` posts a recorded one to the claims back
 * office. Producer, worker and the supervisors' failure list all read these definitions, and the
 * worker validates every job against them (Redis is a trust boundary too).
 */
import { createHash } from 'node:crypto';
import { checklistSchema, DECISIONS, documentKindsSchema, MAX_NOTE_LENGTH, SERVICES } from '@bilik/shared';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { OutcomeConfig } from '../config.js';
import { MAX_CHALLENGES_PER_VISIT, recordedLivenessChallengeSchema } from '../liveness/livenessChallenges.js';
import type { Logger } from '../logger.js';

/** Every key of these queues starts with this, apart from the scheduler's `bilik:sch:`. */
export const QUEUE_PREFIX = 'bilik:jobs';
export const RECORD_QUEUE = 'outcomes';
export const FORWARD_QUEUE = 'outcome-forwards';

/**
 * Both queues, for reading them (counts, failures) through `redis`, which they share and do not
 * close. Connection trouble of the shared client is logged at debug: the request that meets it fails and says so.
 */
export function readOutcomeQueues(redis: Redis, logger: Logger): Array<{ kind: 'record' | 'forward'; queue: Queue }> {
  const queues = [
    { kind: 'record' as const, queue: new Queue(RECORD_QUEUE, { connection: redis, prefix: QUEUE_PREFIX }) },
    { kind: 'forward' as const, queue: new Queue(FORWARD_QUEUE, { connection: redis, prefix: QUEUE_PREFIX }) },
  ];
  for (const { queue } of queues) queue.on('error', (error) => logger.debug({ err: error.message }, 'outcome queue error'));
  return queues;
}

/** Completed jobs are trimmed: the database holds the record, Redis only needs recent ones for de-duplication. */
export const KEPT_COMPLETED_JOBS = 10_000;
const KEEP_COMPLETED = { age: 24 * 3600, count: KEPT_COMPLETED_JOBS };

const id = z.string().min(1).max(64);
const text = z.string().min(1).max(MAX_NOTE_LENGTH);

/**
 * A recording job's data. Ids, the decision and checklist, timings and the tracking code: no
 * names, no national id numbers, no images. `reason` and `notes` are the only free text; they
 * travel because they are part of the officer's decision (why a claim was rejected or escalated,
 * what the officer noted) and exist nowhere else until the worker writes them. The console asks
 * officers not to type personal data there.
 */
export const recordJobSchema = z.strictObject({
  visitId: id,
  submissionId: z.uuid(),
  boothId: id,
  branchId: id,
  officerId: z.uuid(),
  service: z.enum(SERVICES),
  decision: z.enum(DECISIONS),
  checklist: checklistSchema,
  missingDocuments: documentKindsSchema,
  reason: text.nullable(),
  notes: text.nullable(),
  documentIds: z.array(id).max(20),
  /** The liveness challenges the server issued in the visit, with the officer's verdicts; a job queued before they existed has none. */
  livenessChallenges: z.array(recordedLivenessChallengeSchema).max(MAX_CHALLENGES_PER_VISIT).default([]),
  /** When the booth was assigned to the officer (ms since epoch, the scheduler's clock). */
  sessionStartedAt: z.number().int().positive(),
  /** When the server accepted the submission (ms since epoch, Redis's clock like sessionStartedAt). */
  submittedAt: z.number().int().positive(),
  trackingCode: z.string().min(1).max(32),
});
export type RecordJobData = z.infer<typeof recordJobSchema>;

/** Where an outcome stands in the supervisors' second-person review (migration 011). */
export type ReviewState = 'not_required' | 'pending' | 'confirmed' | 'reopened';

/**
 * What a recording job returns: whether this attempt wrote the record or found it written, and
 * its review state (forwarded now only if it needs no review or was already confirmed).
 */
export interface RecordJobResult {
  status: 'recorded' | 'already_recorded';
  review: ReviewState;
}

/** Whether an outcome in `review` may go to the back office: never while pending, never once reopened. */
export function forwardable(review: ReviewState): boolean {
  return review === 'not_required' || review === 'confirmed';
}

/** A queue for adding forwarding jobs through `redis`, which it shares and does not close. */
export function forwardQueueOn(redis: Redis, logger: Logger): Queue<ForwardJobData> {
  const queue = new Queue<ForwardJobData>(FORWARD_QUEUE, { connection: redis, prefix: QUEUE_PREFIX });
  queue.on('error', (error) => logger.debug({ err: error.message }, 'forwarding queue error'));
  return queue;
}

/** A forwarding job's data: which outcome, and what a supervisor's failure list shows. The body is read from the database when sending. */
export const forwardJobSchema = z.strictObject({
  visitId: id,
  branchId: id,
  boothId: id,
  officerId: z.uuid(),
  decision: z.enum(DECISIONS),
});
export type ForwardJobData = z.infer<typeof forwardJobSchema>;

/**
 * The recording job's id: the same visit and submission always give the same id, so a double
 * click or a console's retry enqueues once. Hashed, because BullMQ ids must not contain ':'.
 */
export function recordJobId(visitId: string, submissionId: string): string {
  return `outcome-${digest(`${visitId}\n${submissionId}`)}`;
}

/** The forwarding job's id: one per visit, whichever attempt of the recording job enqueues it. */
export function forwardJobId(visitId: string): string {
  return `forward-${digest(visitId)}`;
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 40);
}

/** How a recording job is retried: exponential backoff from the configured delay; failures are kept for supervisors. */
export function recordJobOptions(config: Pick<OutcomeConfig, 'attempts' | 'retryDelayMs'>, jobId: string): JobsOptions {
  return {
    jobId,
    attempts: config.attempts,
    backoff: { type: 'exponential', delay: config.retryDelayMs },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: false,
  };
}

/**
 * Forwarding retries until the back office acknowledges: about a week of attempts, the delay
 * doubling from the configured one up to FORWARD_MAX_DELAY_MS (the worker's backoff strategy).
 */
export const FORWARD_ATTEMPTS = 1000;
export const FORWARD_MAX_DELAY_MS = 10 * 60_000;
export const FORWARD_BACKOFF = 'capped-exponential';

/** How a forwarding job is retried; failures are kept for supervisors. */
export function forwardJobOptions(config: Pick<OutcomeConfig, 'retryDelayMs'>, visitId: string): JobsOptions {
  return {
    jobId: forwardJobId(visitId),
    attempts: FORWARD_ATTEMPTS,
    backoff: { type: FORWARD_BACKOFF, delay: config.retryDelayMs },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: false,
  };
}

/** The forwarding backoff: doubling from `baseMs`, never more than FORWARD_MAX_DELAY_MS. */
export function forwardRetryDelay(baseMs: number, attemptsMade: number): number {
  return Math.min(FORWARD_MAX_DELAY_MS, baseMs * 2 ** Math.min(30, Math.max(0, attemptsMade - 1)));
}
