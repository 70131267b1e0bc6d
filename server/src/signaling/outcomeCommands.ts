/**
 * `outcome:submit` on an officer's /officer socket: the officer's decision on a visit at their desk,
 * acknowledged once its recording job is safely in Redis. A visit has one decision: a different one
 * for a visit already decided is refused at once (ALREADY_DECIDED), whichever process took the first.
 * An approval is refused while the last liveness challenge the officer judged in the visit failed.
 */
import type { officerCommands, RecordedLivenessChallenge } from '@bilik/shared';
import type { StaffPrincipal } from '../auth/authenticator.js';
import { authorize } from '../auth/permissions.js';
import { AlreadyDecidedError, ForbiddenError, InvalidStateError } from '../errors.js';
import type { LivenessPrompts } from '../liveness/livenessPrompts.js';
import type { Logger } from '../logger.js';
import { checkedVisitOf, type OutcomeProducer } from '../outcomes/outcomeProducer.js';
import { describeDecision, type VisitDecisions } from '../outcomes/visitDecisions.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { DecisionNotices } from '../tracking/decisionNotices.js';
import type { CommandRouter } from './commands.js';

export interface OutcomeDeps {
  scheduler: Scheduler;
  outcomes: OutcomeProducer;
  /** Each visit's one decision, claimed before its job is queued. */
  decisions: VisitDecisions;
  /** What the claimant is told of the decision when the session ends. */
  notices: DecisionNotices;
  /** The liveness challenges of each visit, with the officer's verdicts, which the outcome records. */
  liveness: LivenessPrompts;
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
    // As the server issued and recorded them: the console cannot add, drop or alter a challenge or a verdict.
    const livenessChallenges = await deps.liveness.recordedFor(visit.visitId);
    if (submission.decision === 'approved' && lastVerdict(livenessChallenges) === 'failed') {
      throw new InvalidStateError('The claimant failed the last liveness check: set another one, or choose another decision');
    }
    // The same submission again (a double click, a retry) passes and enqueues the same job.
    const claim = await deps.decisions.claim(visit.visitId, { kind: 'outcome', submissionId: submission.submissionId });
    if (!claim.claimed) throw new AlreadyDecidedError(`This visit already has its decision: ${describeDecision(claim.existing)}`);
    const accepted = await deps.outcomes.submit(checkedVisitOf(visit), submission, livenessChallenges);
    // After the job is safe: the kiosk tells only of a decision that will be recorded.
    await deps.notices.remember(visit.visitId, submission);
    logger.info({ boothId: visit.boothId, visitId: visit.visitId, jobId: accepted.jobId }, 'outcome submitted');
    return accepted;
  });
}

/**
 * The verdict of the last challenge the officer judged (null: none judged). A failed check the
 * officer followed with a passed one (the claimant misheard, the picture froze) no longer counts.
 */
function lastVerdict(challenges: readonly RecordedLivenessChallenge[]): RecordedLivenessChallenge['verdict'] {
  return challenges.findLast((challenge) => challenge.verdict !== null)?.verdict ?? null;
}
