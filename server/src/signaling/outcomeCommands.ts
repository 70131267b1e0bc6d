/**
 * `outcome:submit` on an officer's /officer socket: the officer's decision on a visit at their desk,
 * acknowledged once its recording job is safely in Redis.
 */
import type { officerCommands } from '@bilik/shared';
import type { StaffPrincipal } from '../auth/authenticator.js';
import { authorize } from '../auth/permissions.js';
import { ForbiddenError, InvalidStateError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { OutcomeProducer } from '../outcomes/outcomeProducer.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { VisitDecisions } from '../tracking/visitDecisions.js';
import type { CommandRouter } from './commands.js';

export interface OutcomeDeps {
  scheduler: Scheduler;
  outcomes: OutcomeProducer;
  /** What the claimant is told of the decision when the session ends. */
  decisions: VisitDecisions;
}

/** Registers outcome:submit for this officer. */
export function registerOutcomeCommands(
  commands: CommandRouter<typeof officerCommands>,
  officer: StaffPrincipal,
  deps: OutcomeDeps,
  logger: Logger,
): void {
  commands.command('outcome:submit', async (submission) => {
    authorize(officer, 'outcome.submit', { self: true });
    // Who, where and since when come from the scheduler's visit, never from the console.
    const visit = await deps.scheduler.visitAtDesk(submission.boothId, officer.accountId);
    if (visit === null) throw new ForbiddenError(`Booth ${submission.boothId} is not at your desk`);
    if (visit.visitId !== submission.visitId) throw new InvalidStateError("That is not the booth's current visit");
    const accepted = await deps.outcomes.submit(
      {
        visitId: visit.visitId,
        boothId: visit.boothId,
        branchId: visit.queueId,
        officerId: officer.accountId,
        service: visit.service,
        assignedAt: visit.assignedAt,
      },
      submission,
    );
    // After the job is safe: the kiosk tells only of a decision that will be recorded.
    await deps.decisions.remember(visit.visitId, submission);
    logger.info({ boothId: visit.boothId, visitId: visit.visitId, jobId: accepted.jobId }, 'outcome submitted');
    return accepted;
  });
}
