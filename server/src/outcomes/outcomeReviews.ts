/**
 * Second-person review of recorded outcomes (maker-checker): the outcomes of a branch that wait
 * for a supervisor, and that supervisor's confirmation (the outcome then goes to the back office)
 * or reopening (it never does). Which outcomes wait is drawn when they are recorded
 * (outcomeRecorder.ts); each answer is written with its audit event in one transaction.
 */
import type { Checklist, Decision, DocumentKind, ReviewResult, ReviewView, Service } from '@bilik/shared';
import type { Queue } from 'bullmq';
import { recordAudit } from '../audit/auditLog.js';
import type { Database } from '../db/database.js';
import { ForbiddenError, InvalidStateError, NotFoundError } from '../errors.js';
import { forwardJobOptions, type ForwardJobData, type ReviewState } from './outcomeJobs.js';
import type { OutcomeConfig } from '../config.js';

/** The outcome a review answers, as the database holds it. */
export interface ReviewedOutcome {
  visitId: string;
  branchId: string;
  officerId: string;
  boothId: string;
  decision: Decision;
  state: ReviewState;
  reviewedBy: string | null;
  reviewedAt: Date | null;
}

interface PendingRow {
  visit_id: string;
  decision: Decision;
  officer_id: string;
  officer_name: string;
  booth_id: string;
  service: Service;
  checklist: Checklist;
  missing_documents: DocumentKind[];
  reason: string | null;
  notes: string | null;
  document_ids: string[];
  submitted_at: Date;
}

interface OutcomeRow {
  visit_id: string;
  branch_id: string;
  officer_id: string;
  booth_id: string;
  decision: Decision;
  review_state: ReviewState;
  reviewed_by: string | null;
  reviewed_at: Date | null;
}

const OUTCOME_COLUMNS =
  'visit_id, branch_id, officer_id::text as officer_id, booth_id, decision, review_state, reviewed_by::text as reviewed_by, reviewed_at';

/** How many pending reviews one listing shows at most, oldest first. */
const MAX_LISTED = 200;

export class OutcomeReviews {
  /** `forwardQueue`: where a confirmed outcome's forwarding job goes; null when no back office is configured. */
  constructor(
    private readonly db: Database,
    private readonly forwardQueue: Queue<ForwardJobData> | null,
    private readonly config: Pick<OutcomeConfig, 'retryDelayMs'>,
  ) {}

  /** The branch's outcomes waiting for review, oldest first. */
  async pendingOf(branchId: string): Promise<ReviewView[]> {
    const rows = await this.db.query<PendingRow>(
      `select o.visit_id, o.decision, o.officer_id::text as officer_id, a.display_name as officer_name, o.booth_id, o.service,
         o.checklist, o.missing_documents, o.reason, o.notes, o.document_ids, o.submitted_at
       from outcomes o join accounts a on a.id = o.officer_id
       where o.branch_id = $1 and o.review_state = 'pending'
       order by o.recorded_at, o.id limit ${MAX_LISTED}`,
      [branchId],
    );
    return rows.map((row) => ({
      visitId: row.visit_id,
      decision: row.decision,
      officerId: row.officer_id,
      officerName: row.officer_name,
      boothId: row.booth_id,
      service: row.service,
      checklist: row.checklist,
      missingDocuments: row.missing_documents,
      reason: row.reason,
      notes: row.notes,
      documentIds: row.document_ids,
      submittedAt: row.submitted_at.toISOString(),
    }));
  }

  /** The recorded outcome of `visitId`, or null. */
  async find(visitId: string): Promise<ReviewedOutcome | null> {
    const rows = await this.db.query<OutcomeRow>(`select ${OUTCOME_COLUMNS} from outcomes where visit_id = $1`, [visitId]);
    return rows[0] ? outcomeOf(rows[0]) : null;
  }

  /**
   * Confirms a pending outcome as `reviewerId` and enqueues its forwarding. Confirming it again
   * answers the first confirmation and enqueues again, which the job id makes a no-op unless the
   * first enqueue failed: a repeat is how a confirmation whose enqueue failed gets forwarded.
   */
  async confirm(visitId: string, reviewerId: string): Promise<ReviewResult> {
    const outcome = await this.decide(visitId, reviewerId, 'confirmed', null);
    if (this.forwardQueue) {
      const { branchId, boothId, officerId, decision } = outcome;
      await this.forwardQueue.add('forward', { visitId, branchId, boothId, officerId, decision }, forwardJobOptions(this.config, visitId));
    }
    return resultOf(outcome);
  }

  /** Reopens a pending outcome as `reviewerId`, for `reason`: it is never forwarded. Reopening it again answers the first reopening. */
  async reopen(visitId: string, reviewerId: string, reason: string): Promise<ReviewResult> {
    return resultOf(await this.decide(visitId, reviewerId, 'reopened', reason));
  }

  /** Moves a pending outcome to `state` once, with its audit event; a repeat of the same answer returns it unchanged. */
  private async decide(
    visitId: string,
    reviewerId: string,
    state: 'confirmed' | 'reopened',
    reason: string | null,
  ): Promise<ReviewedOutcome> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<OutcomeRow>(`select ${OUTCOME_COLUMNS} from outcomes where visit_id = $1 for update`, [visitId]);
      if (row === undefined) throw new NotFoundError('No recorded outcome for that visit');
      // Maker ≠ checker: an officer later made a supervisor still may not review their own decisions.
      if (row.officer_id === reviewerId) throw new ForbiddenError('The officer who decided a visit may not review it');
      if (row.review_state === state) return outcomeOf(row);
      if (row.review_state !== 'pending') throw new InvalidStateError(alreadyAnswered(row.review_state));
      const [updated] = await tx.query<OutcomeRow>(
        `update outcomes set review_state = $2, reviewed_by = $3::uuid, reviewed_at = now(), review_reason = $4
         where visit_id = $1 returning ${OUTCOME_COLUMNS}`,
        [visitId, state, reviewerId, reason],
      );
      await recordAudit(tx, {
        actor: { kind: 'account', id: reviewerId },
        action: state === 'confirmed' ? 'outcome.review_confirmed' : 'outcome.review_reopened',
        subject: visitId,
        detail: { branchId: row.branch_id, decision: row.decision, officerId: row.officer_id },
      });
      return outcomeOf(updated!);
    });
  }
}

function alreadyAnswered(state: ReviewState): string {
  if (state === 'not_required') return 'That outcome was not drawn for review';
  return state === 'confirmed' ? 'That outcome was already confirmed' : 'That outcome was already reopened';
}

function outcomeOf(row: OutcomeRow): ReviewedOutcome {
  return {
    visitId: row.visit_id,
    branchId: row.branch_id,
    officerId: row.officer_id,
    boothId: row.booth_id,
    decision: row.decision,
    state: row.review_state,
    reviewedBy: row.reviewed_by,
    reviewedAt: row.reviewed_at,
  };
}

function resultOf(outcome: ReviewedOutcome): ReviewResult {
  return {
    visitId: outcome.visitId,
    state: outcome.state as ReviewResult['state'],
    reviewedBy: outcome.reviewedBy!,
    reviewedAt: outcome.reviewedAt!.toISOString(),
  };
}
