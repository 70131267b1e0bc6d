/**
 * Visits that end without a decision: the officer ended one with a "no outcome" reason, or the
 * server ended one because its booth did not come back within the grace period. Each is recorded
 * once, with its tracking code, so that the code the claimant took home resolves to "ended
 * without decision" and never to "unknown" (invariant 11). The decision is claimed in Redis first,
 * so a visit never has both an outcome and this record.
 */
import type { UndecidedReason } from '@bilik/shared';
import { recordAudit, type AuditActor } from '../audit/auditLog.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { SchedulerEvent } from '../scheduler/scheduler.js';
import type { TrackingCodes } from '../tracking/trackingCodes.js';
import type { CheckedVisit } from './outcomeProducer.js';
import type { ClaimResult, VisitDecisions } from './visitDecisions.js';

export class UndecidedVisits {
  private readonly logger: Logger;

  constructor(
    private readonly db: Database,
    private readonly decisions: VisitDecisions,
    private readonly codes: TrackingCodes,
    logger: Logger,
  ) {
    this.logger = logger.child({ module: 'undecided-visits' });
  }

  /**
   * Claims "ended without decision" for the visit and records it. Refused (`claimed: false`) when
   * the visit has an outcome; when an earlier call claimed it already, its record is made sure of
   * with that call's reason, so a retry after a failed write completes it.
   */
  async record(visit: CheckedVisit, reason: UndecidedReason, actor: AuditActor): Promise<ClaimResult> {
    const claim = await this.decisions.claim(visit.visitId, { kind: 'undecided', reason });
    if (!claim.claimed && claim.existing.kind === 'outcome') return claim;
    const claimedReason = claim.claimed ? reason : (claim.existing as { reason: UndecidedReason }).reason;
    await this.db.transaction(async (tx) => {
      const inserted = await tx.query(
        `insert into undecided_visits (visit_id, tracking_code, reason, officer_id, booth_id, branch_id, service, session_started_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (visit_id) do nothing returning visit_id`,
        [
          visit.visitId,
          this.codes.codeFor(visit.visitId),
          claimedReason,
          visit.officerId,
          visit.boothId,
          visit.branchId,
          visit.service,
          new Date(visit.assignedAt).toISOString(),
        ],
      );
      if (inserted.length === 0) return;
      await recordAudit(tx, {
        actor,
        action: 'visit.ended_without_decision',
        subject: visit.visitId,
        detail: { reason: claimedReason, boothId: visit.boothId },
      });
    });
    this.logger.info({ visitId: visit.visitId, boothId: visit.boothId, reason: claimedReason }, 'visit ended without decision');
    return claim;
  }

  /**
   * Records the served visits a scheduler change ended because their booth stayed away past its
   * grace period, unless they were decided already. Never throws: a failure is logged.
   */
  async recordLostBooths(events: readonly SchedulerEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type !== 'released' || event.reason !== 'timeout' || event.served === undefined) continue;
      const visit: CheckedVisit = {
        visitId: event.visitId,
        boothId: event.boothId,
        branchId: event.queueId,
        officerId: event.served.officerId,
        service: event.served.service,
        assignedAt: event.served.assignedAt,
      };
      try {
        await this.record(visit, 'booth_lost', { kind: 'system' });
      } catch (error) {
        this.logger.error({ visitId: visit.visitId, err: (error as Error).message }, 'could not record a visit ended without decision');
      }
    }
  }
}
