/**
 * What the outcome tests share: the rows outcomes refer to (a branch, an officer, booths), valid
 * submissions, fast worker settings, and reading back what was recorded.
 */
import { randomUUID } from 'node:crypto';
import type { OutcomeSubmission } from '@bilik/shared';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AccountStore } from '../../server/src/accounts/accountStore.js';
import type { OutcomeConfig } from '../../server/src/config.js';
import type { Database, Queryable } from '../../server/src/db/database.js';
import { BoothStore } from '../../server/src/fleet/boothStore.js';
import { QUEUE_PREFIX, RECORD_QUEUE } from '../../server/src/outcomes/outcomeJobs.js';
import type { CheckedVisit } from '../../server/src/outcomes/outcomeProducer.js';
import type { Logger } from '../../server/src/logger.js';

export const OUTCOME_BRANCH = 'cabang-hasil';

/** Settings that make retries and the recovery of abandoned jobs take a second, not minutes. */
export const FAST_OUTCOMES: OutcomeConfig = {
  attempts: 3,
  retryDelayMs: 50,
  worker: { concurrency: 4, lockMs: 1000, stalledIntervalMs: 500 },
  forward: null,
  // No approval waits for a review unless a test asks for it (escalated ones always do).
  reviewShare: 0,
};

/** The same settings as environment variables, for a server or a worker process. */
export const FAST_OUTCOME_ENV: Record<string, string> = {
  OUTCOME_JOB_ATTEMPTS: '3',
  OUTCOME_RETRY_DELAY_SECONDS: '0.05',
  OUTCOME_WORKER_CONCURRENCY: '4',
  OUTCOME_JOB_LOCK_SECONDS: '1',
  OUTCOME_STALLED_CHECK_SECONDS: '0.5',
};

/** The rows an outcome's foreign keys need: one branch, one officer, `booths` booths. */
export interface OutcomeSeed {
  officerId: string;
  boothIds: string[];
}

/** Creates OUTCOME_BRANCH, an officer and booths `hasil-1`… in the database. */
export async function seedOutcomeRows(db: Database, logger: Logger, booths = 4): Promise<OutcomeSeed> {
  const accounts = new AccountStore(db, logger);
  await accounts.createBranch({ id: OUTCOME_BRANCH, name: 'Cabang Hasil' });
  const officer = await accounts.createAccount({
    username: 'petugas-hasil',
    displayName: 'Petugas Hasil',
    role: 'officer',
    password: 'kata sandi petugas hasil',
    branchIds: [OUTCOME_BRANCH],
  });
  const store = new BoothStore(db, logger);
  const boothIds: string[] = [];
  for (let number = 1; number <= booths; number += 1) {
    const boothId = `hasil-${number}`;
    await store.createBooth({ id: boothId, branchId: OUTCOME_BRANCH, name: boothId }, { kind: 'system' });
    boothIds.push(boothId);
  }
  return { officerId: officer.id, boothIds };
}

/** A visit of the seeded branch, as the scheduler would have it, with a fresh visit id. */
export function seededVisit(seed: OutcomeSeed, index = 0): CheckedVisit {
  return {
    visitId: randomUUID(),
    boothId: seed.boothIds[index % seed.boothIds.length]!,
    branchId: OUTCOME_BRANCH,
    officerId: seed.officerId,
    service: 'jht',
    assignedAt: Date.now() - 5 * 60_000,
  };
}

/** A valid approval of `visit` from a new decision form. */
export function approval(visit: Pick<CheckedVisit, 'boothId' | 'visitId'>, overrides: Partial<OutcomeSubmission> = {}): OutcomeSubmission {
  return {
    boothId: visit.boothId,
    visitId: visit.visitId,
    submissionId: randomUUID(),
    decision: 'approved',
    checklist: {
      faceMatchesId: true,
      idNumberConfirmed: true,
      documentsPresent: ['ktp', 'kartu_peserta', 'paklaring', 'buku_tabungan'],
      bankAccountConfirmed: true,
    },
    missingDocuments: [],
    reason: null,
    notes: 'Dokumen lengkap dan terbaca.',
    documentIds: [],
    ...overrides,
  };
}

/** One recorded outcome, as the tests read it back. */
export interface OutcomeRow {
  visit_id: string;
  submission_id: string;
  decision: string;
  booth_id: string;
  branch_id: string;
  officer_id: string;
  tracking_code: string;
}

/** Every recorded outcome. */
export function outcomeRows(db: Queryable): Promise<OutcomeRow[]> {
  return db.query<OutcomeRow>(
    'select visit_id, submission_id, decision, booth_id, branch_id, officer_id, tracking_code from outcomes order by id',
  );
}

/** The `outcome.recorded` audit events. */
export function recordedAuditEvents(db: Queryable): Promise<Array<{ actor_id: string; subject: string; detail: Record<string, unknown> }>> {
  return db.query("select actor_id, subject, detail from audit_events where action = 'outcome.recorded' order by id");
}

/** The recording queue, read as BullMQ sees it (close it after use). */
export function recordQueue(redis: Redis): Queue {
  return new Queue(RECORD_QUEUE, { connection: redis, prefix: QUEUE_PREFIX });
}
