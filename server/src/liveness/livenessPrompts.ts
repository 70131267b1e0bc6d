/**
 * Liveness prompts: an officer sets a booth in session at their desk a random challenge, which the
 * booth shows large until the officer judges it (passed or failed) or clears it, also after the
 * kiosk reloads or reconnects. The server makes the challenge and keeps it with the visit, with the
 * officer's verdict (LivenessChallenges), so the outcome records what was really asked, not what a
 * console says.
 */
import type { LivenessChallenge, LivenessVerdict, RecordedLivenessChallenge } from '@bilik/shared';
import type { Redis } from 'ioredis';
import { authorize, type Principal } from '../auth/permissions.js';
import { ForbiddenError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AssignedVisit, Scheduler } from '../scheduler/scheduler.js';
import { LivenessChallenges } from './livenessChallenges.js';
import { newLivenessTask } from './livenessTask.js';

/** How a challenge reaches the booth's kiosk; signaling implements it over socket.io. */
export interface LivenessMessenger {
  /** Shows `challenge` on the booth's screen, and on no other booth's. */
  showBooth(boothId: string, challenge: LivenessChallenge): void;
  /** Takes the challenge off the booth's screen. */
  clearBooth(boothId: string): void;
}

export interface LivenessPromptsDeps {
  redis: Redis;
  scheduler: Scheduler;
  messenger: LivenessMessenger;
  logger: Logger;
}

export class LivenessPrompts {
  private readonly challenges: LivenessChallenges;
  private readonly logger: Logger;

  constructor(private readonly deps: LivenessPromptsDeps) {
    this.challenges = new LivenessChallenges(deps.redis, deps.logger);
    this.logger = deps.logger.child({ module: 'liveness' });
  }

  /** Issues a new challenge for the booth's visit and shows it on the booth; answers with it. */
  async challenge(caller: Principal, boothId: string): Promise<LivenessChallenge> {
    const { officerId, visit } = await this.visitOfCaller(caller, boothId);
    const challenge = await this.challenges.issue(visit.visitId, newLivenessTask());
    this.deps.messenger.showBooth(boothId, challenge);
    // The task itself stays out of the log: it is recorded with the outcome.
    this.logger.info({ boothId, officerId, visitId: visit.visitId, challengeId: challenge.challengeId }, 'liveness challenge issued');
    return challenge;
  }

  /** Records the officer's verdict on the challenge the booth shows, `challengeId`, and takes it off the booth's screen. */
  async judge(caller: Principal, boothId: string, challengeId: string, verdict: LivenessVerdict): Promise<void> {
    const { officerId, visit } = await this.visitOfCaller(caller, boothId);
    await this.challenges.judge(visit.visitId, challengeId, verdict);
    this.deps.messenger.clearBooth(boothId);
    // The verdict, like the task, stays out of the log: it is recorded with the outcome.
    this.logger.info({ boothId, officerId, visitId: visit.visitId, challengeId }, 'liveness challenge judged');
  }

  /** The visit's challenges with the officer's verdicts, oldest first, as its outcome records them. */
  recordedFor(visitId: string): Promise<RecordedLivenessChallenge[]> {
    return this.challenges.recordedFor(visitId);
  }

  /** Takes the challenge off the booth's screen without a verdict. */
  async clear(caller: Principal, boothId: string): Promise<void> {
    const { visit } = await this.visitOfCaller(caller, boothId);
    await this.challenges.cleared(visit.visitId);
    this.deps.messenger.clearBooth(boothId);
  }

  /** The challenges the booths in session at the officer's desk show now (for a console that joins the desk again). */
  async showingAtDesk(officerId: string): Promise<Array<{ boothId: string; challenge: LivenessChallenge }>> {
    const boothIds = (await this.deps.scheduler.officer(officerId))?.boothIds ?? [];
    const showing = await Promise.all(
      boothIds.map(async (boothId) => {
        const visit = await this.deps.scheduler.visitAtDesk(boothId, officerId);
        return { boothId, challenge: visit === null ? null : await this.challenges.showing(visit.visitId) };
      }),
    );
    return showing.flatMap(({ boothId, challenge }) => (challenge === null ? [] : [{ boothId, challenge }]));
  }

  /** The challenge the booth should be showing now (for a kiosk that joins its desk again), or null. */
  async showingAt(boothId: string): Promise<LivenessChallenge | null> {
    const visit = await this.deps.scheduler.visitOf(boothId);
    if (visit === null || visit.state !== 'assigned') return null;
    return this.challenges.showing(visit.visitId);
  }

  /** The visit of `boothId`, if it is in session at the caller's own desk. */
  private async visitOfCaller(caller: Principal, boothId: string): Promise<{ officerId: string; visit: AssignedVisit }> {
    const officer = authorize(caller, 'liveness.challenge', { self: true });
    if (officer.kind !== 'staff') throw new ForbiddenError('Only an officer may set a liveness challenge');
    const visit = await this.deps.scheduler.visitAtDesk(boothId, officer.accountId);
    if (visit === null) throw new ForbiddenError(`Booth ${boothId} is not one of your booths`);
    return { officerId: officer.accountId, visit };
  }
}
