/**
 * Writes one verification outcome and its audit event in one database transaction. The unique key
 * on the visit (`outcomes_visit_id_key`) is what makes recording idempotent: a job retried after
 * its transaction committed finds its own record and succeeds; a different submission for a visit
 * that already has an outcome can never succeed, and says so.
 */
import { randomInt } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { recordAudit } from '../audit/auditLog.js';
import { FOREIGN_KEY_VIOLATION, isViolation, UNIQUE_VIOLATION, type Database, type Transaction } from '../db/database.js';
import type { RecordJobData, RecordJobResult, ReviewState } from './outcomeJobs.js';

const VISIT_KEY = 'outcomes_visit_id_key';
const TRACKING_CODE_KEY = 'outcomes_tracking_code_key';

/** The resolution of the review draw: a share is compared with a uniform number in [0, 1) on this grid. */
const DRAW_GRID = 2 ** 40;

/**
 * Whether `outcome` waits for a supervisor's review: every escalated one, and approved ones drawn
 * with probability `reviewShare`. Drawn here, on the worker, from crypto randomness, and written
 * with the record: the officer can neither predict nor influence it, and a retried job keeps the
 * first draw (its transaction wrote it).
 */
export function reviewStateFor(decision: RecordJobData['decision'], reviewShare: number): ReviewState {
  if (decision === 'escalated') return 'pending';
  if (decision === 'approved' && randomInt(DRAW_GRID) / DRAW_GRID < reviewShare) return 'pending';
  return 'not_required';
}

/**
 * Records `outcome` once: `recorded` when this call wrote it, `already_recorded` when an earlier
 * attempt had; with the review state it was recorded in (or has reached since).
 */
export async function recordOutcome(db: Database, outcome: RecordJobData, reviewShare: number): Promise<RecordJobResult> {
  const review = reviewStateFor(outcome.decision, reviewShare);
  try {
    await db.transaction(async (tx) => {
      await assertDocumentsOfVisit(tx, outcome);
      await tx.query(
        `insert into outcomes (visit_id, submission_id, tracking_code, decision, service, checklist, missing_documents, reason, notes,
           officer_id, booth_id, branch_id, document_ids, liveness_challenges, session_started_at, submitted_at, review_state)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
        [
          outcome.visitId,
          outcome.submissionId,
          outcome.trackingCode,
          outcome.decision,
          outcome.service,
          JSON.stringify(outcome.checklist),
          JSON.stringify(outcome.missingDocuments),
          outcome.reason,
          outcome.notes,
          outcome.officerId,
          outcome.boothId,
          outcome.branchId,
          JSON.stringify(outcome.documentIds),
          JSON.stringify(outcome.livenessChallenges),
          new Date(outcome.sessionStartedAt).toISOString(),
          new Date(outcome.submittedAt).toISOString(),
          review,
        ],
      );
      await recordAudit(tx, {
        actor: { kind: 'account', id: outcome.officerId },
        action: 'outcome.recorded',
        subject: outcome.visitId,
        detail: { decision: outcome.decision, boothId: outcome.boothId, review },
      });
    });
    return { status: 'recorded', review };
  } catch (error) {
    if (isViolation(error, UNIQUE_VIOLATION, VISIT_KEY) || isViolation(error, UNIQUE_VIOLATION, TRACKING_CODE_KEY)) {
      return alreadyRecorded(db, outcome, error);
    }
    // An officer, booth or branch that does not exist will not exist on the next attempt either.
    if (isViolation(error, FOREIGN_KEY_VIOLATION))
      throw new UnrecoverableError(`outcome of visit ${outcome.visitId} names an unknown officer, booth or branch`);
    throw error;
  }
}

/**
 * The documents an outcome refers to must be photos of its own visit: the console names them, and
 * the record must not point at another claimant's documents.
 */
async function assertDocumentsOfVisit(tx: Transaction, outcome: RecordJobData): Promise<void> {
  if (outcome.documentIds.length === 0) return;
  // Compared as text: an id that is not even a uuid simply matches nothing.
  const rows = await tx.query<{ id: string }>('select id::text as id from documents where visit_id = $1 and id::text = any($2::text[])', [
    outcome.visitId,
    outcome.documentIds,
  ]);
  if (rows.length !== new Set(outcome.documentIds).size) {
    throw new UnrecoverableError(`outcome of visit ${outcome.visitId} names documents that are not photos of this visit`);
  }
}

/** After a unique violation: this submission's own record (done), another submission's (never), or a tracking code clash (retry). */
async function alreadyRecorded(db: Database, outcome: RecordJobData, violation: unknown): Promise<RecordJobResult> {
  const rows = await db.query<{ submission_id: string; review_state: ReviewState }>(
    'select submission_id, review_state from outcomes where visit_id = $1',
    [outcome.visitId],
  );
  const existing = rows[0];
  // The tracking code is a keyed hash of the visit: another visit with the same code is as good as impossible.
  if (existing === undefined) throw violation;
  if (existing.submission_id === outcome.submissionId) return { status: 'already_recorded', review: existing.review_state };
  throw new UnrecoverableError(`visit ${outcome.visitId} already has an outcome from another submission (${existing.submission_id})`);
}
