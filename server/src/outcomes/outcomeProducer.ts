/**
 * The producer side of recording outcomes: turns an officer's submission for a visit the server has
 * checked into one BullMQ job, and answers only once Redis holds it.
 */
import type { OutcomeAccepted, OutcomeSubmission, RecordedLivenessChallenge, Service } from '@bilik/shared';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { OutcomeConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { AssignedVisit } from '../scheduler/scheduler.js';
import { redisNow } from '../redis/redisClock.js';
import type { TrackingCodes } from '../tracking/trackingCodes.js';
import { QUEUE_PREFIX, RECORD_QUEUE, recordJobId, recordJobOptions, type RecordJobData, type RecordJobResult } from './outcomeJobs.js';

/** The visit an outcome decides, as the server knows it (never as the client says). */
export interface CheckedVisit {
  visitId: string;
  boothId: string;
  /** The branch: the queue the visit waited in. */
  branchId: string;
  officerId: string;
  service: Service;
  /** When the booth was assigned to the officer (ms since epoch, Redis's clock). */
  assignedAt: number;
}

/** The scheduler's visit at an officer's desk, as the visit an outcome (or its absence) decides. */
export function checkedVisitOf(visit: AssignedVisit): CheckedVisit {
  const { visitId, boothId, queueId, officerId, service, assignedAt } = visit;
  return { visitId, boothId, branchId: queueId, officerId, service, assignedAt };
}

export class OutcomeProducer {
  private constructor(
    private readonly redis: Redis,
    private readonly queue: Queue<RecordJobData, RecordJobResult>,
    private readonly trackingCodes: TrackingCodes,
    private readonly config: Pick<OutcomeConfig, 'attempts' | 'retryDelayMs'>,
  ) {}

  /**
   * A producer on `redis`, which it shares and does not close. A client that fails fast while
   * Redis is down (as the server's is) makes a submission fail at once rather than wait.
   */
  static create(
    redis: Redis,
    trackingCodes: TrackingCodes,
    config: Pick<OutcomeConfig, 'attempts' | 'retryDelayMs'>,
    logger: Logger,
  ): OutcomeProducer {
    const queue = new Queue<RecordJobData, RecordJobResult>(RECORD_QUEUE, { connection: redis, prefix: QUEUE_PREFIX });
    // Connection trouble of the shared client; the submission that meets it fails and says so.
    queue.on('error', (error) => logger.debug({ module: 'outcome-producer', err: error.message }, 'outcome queue error'));
    return new OutcomeProducer(redis, queue, trackingCodes, config);
  }

  /**
   * Enqueues the recording of `submission` for `visit`, with `livenessChallenges`: those the server
   * issued in the visit so far and the officer's verdicts, as the server recorded them (never as a
   * console says); resolves once Redis has the job. The same visit and submission id
   * give the same job: a repeat returns the first job's id and adds nothing.
   */
  async submit(
    visit: CheckedVisit,
    submission: OutcomeSubmission,
    livenessChallenges: readonly RecordedLivenessChallenge[],
  ): Promise<OutcomeAccepted> {
    const trackingCode = this.trackingCodes.codeFor(visit.visitId);
    // By the clock the session's start was taken by, so one record never mixes two processes' clocks.
    const submittedAt = await redisNow(this.redis);
    const data: RecordJobData = {
      visitId: visit.visitId,
      submissionId: submission.submissionId,
      boothId: visit.boothId,
      branchId: visit.branchId,
      officerId: visit.officerId,
      service: visit.service,
      decision: submission.decision,
      checklist: submission.checklist,
      missingDocuments: submission.missingDocuments,
      reason: submission.reason,
      notes: submission.notes,
      documentIds: submission.documentIds,
      livenessChallenges: [...livenessChallenges],
      sessionStartedAt: visit.assignedAt,
      submittedAt,
      trackingCode,
    };
    const jobId = recordJobId(visit.visitId, submission.submissionId);
    const job = await this.queue.add('record', data, recordJobOptions(this.config, jobId));
    return { jobId: job.id ?? jobId, trackingCode };
  }

  /** Stops using Redis (the shared client stays open). */
  close(): Promise<void> {
    return this.queue.close();
  }
}
