/**
 * Live transfer: an officer hands the claimant at one of their booths to another signed-in
 * officer or supervisor (one serving a desk: an escalation) of the visit's branch, or back to the
 * front of its queue, with a short note. The visit keeps its id (and so its tracking code,
 * decision claim, liveness challenges and documents), the booth keeps its call; the scheduler moves
 * the seat (transfer.lua) and the announcer moves the booth's media link. Nothing is recorded as
 * the visit's outcome: the receiving officer decides.
 */
import type { TransferOfficerView, TransferResult, TransferTarget, TransferTargetsView, TransferView } from '@bilik/shared';
import type { AccountStore } from '../accounts/accountStore.js';
import { recordAudit } from '../audit/auditLog.js';
import type { StaffPrincipal } from '../auth/authenticator.js';
import { authorize } from '../auth/permissions.js';
import type { Database } from '../db/database.js';
import { DocumentStore } from '../documents/documentStore.js';
import { ForbiddenError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AssignedVisit, Scheduler } from '../scheduler/scheduler.js';
import type { SchedulerAnnouncer } from '../signaling/schedulerAnnouncer.js';

export interface VisitTransferDeps {
  db: Database;
  accounts: AccountStore;
  scheduler: Scheduler;
  announcer: SchedulerAnnouncer;
  logger: Logger;
}

export class VisitTransfers {
  private readonly documents: DocumentStore;
  private readonly logger: Logger;

  constructor(private readonly deps: VisitTransferDeps) {
    this.documents = new DocumentStore(deps.db);
    this.logger = deps.logger.child({ module: 'transfers' });
  }

  /** Whom the claimant at `boothId` may be handed to: the signed-in officers of the visit's branch but the caller, and its queue. */
  async targets(officer: StaffPrincipal, boothId: string): Promise<TransferTargetsView> {
    const visit = await this.ownVisit(officer, boothId);
    const serving = await this.deps.scheduler.officersServing(visit.queueId);
    const others = serving.filter((record) => record.officerId !== officer.accountId && record.state !== 'offline');
    const officers = await Promise.all(
      others.map(async (record): Promise<TransferOfficerView> => {
        const account = await this.deps.accounts.findById(record.officerId);
        return {
          accountId: record.officerId,
          displayName: account?.displayName ?? record.officerId,
          role: account?.role === 'supervisor' ? 'supervisor' : 'officer',
          state: record.state,
          freeSeats: Math.max(0, record.capacity - record.boothIds.length),
        };
      }),
    );
    return { officers: officers.sort((a, b) => a.displayName.localeCompare(b.displayName)), queue: others.length > 0 };
  }

  /** Hands the claimant at `boothId` over to `target` with `note` (already trimmed and bounded by the protocol). */
  async transfer(officer: StaffPrincipal, boothId: string, target: TransferTarget, note: string): Promise<TransferResult> {
    const visit = await this.ownVisit(officer, boothId);
    const toOfficerId = target.kind === 'officer' ? target.officerId : null;
    if (toOfficerId !== null) await this.checkReceiver(toOfficerId, visit.queueId);
    const [from, documents] = await Promise.all([this.deps.accounts.findById(officer.accountId), this.documents.forVisit(visit.visitId)]);
    const handover: TransferView = {
      fromOfficerId: officer.accountId,
      fromName: from?.displayName ?? null,
      note,
      at: new Date().toISOString(),
      documents: documents.map((document) => ({
        documentId: document.id,
        width: document.width,
        height: document.height,
        bytes: document.bytes,
      })),
    };
    const events = await this.deps.scheduler.transfer(officer.accountId, boothId, toOfficerId, JSON.stringify(handover));
    await this.deps.announcer.announce(events);
    const seated = events.some((event) => event.type === 'assigned' && event.boothId === boothId);
    this.logger.info({ boothId, visitId: visit.visitId, officerId: officer.accountId, toOfficerId, seated }, 'claimant handed over');
    // The note is free text about the claimant, so it may hold personal data: the audit trail
    // keeps only its length (auditLog.ts: ids and counts only). The note itself lives with the
    // visit in Redis for the receiving console and goes when the visit ends.
    await recordAudit(this.deps.db, {
      actor: { kind: 'account', id: officer.accountId },
      action: 'visit.transferred',
      subject: visit.visitId,
      detail: {
        boothId,
        branchId: visit.queueId,
        fromOfficerId: officer.accountId,
        toOfficerId,
        to: target.kind,
        noteLength: note.length,
        documents: documents.length,
      },
    }).catch((error: unknown) =>
      // The claimant has moved already; a hand-over the trail missed is an operator's problem, not the officer's.
      this.logger.error({ visitId: visit.visitId, err: (error as Error).message }, 'could not audit a hand-over'),
    );
    return { visitId: visit.visitId, seated };
  }

  private async ownVisit(officer: StaffPrincipal, boothId: string): Promise<AssignedVisit> {
    authorize(officer, 'visit.transfer', { self: true });
    const visit = await this.deps.scheduler.visitAtDesk(boothId, officer.accountId);
    if (visit === null) throw new ForbiddenError(`Booth ${boothId} is not one of your booths in session`);
    return visit;
  }

  /** Only an officer or supervisor covering the visit's branch may receive it; the scheduler checks they serve it now. */
  private async checkReceiver(officerId: string, branchId: string): Promise<void> {
    const account = await this.deps.accounts.findById(officerId);
    if ((account?.role !== 'officer' && account?.role !== 'supervisor') || !account.branchIds.includes(branchId)) {
      throw new ForbiddenError('Hand the claimant only to an officer or supervisor of this branch');
    }
  }
}
