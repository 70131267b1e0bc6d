/**
 * Ends grace periods and wrap-ups when they are due. Every server process runs one; the
 * scheduler's expiry script ends each deadline once, whichever process gets there first, and that
 * process records the served visits it ended as "ended without decision" (the booth was lost) and
 * files the default wrap-up code for visits left unfiled when a wrap-up timer ran out.
 */
import type { Logger } from '../logger.js';
import { repeatWithoutOverlap } from '../repeating.js';
import type { UndecidedVisits } from '../outcomes/undecidedVisits.js';
import type { WrapUps } from '../wrapUp/wrapUps.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { SchedulerAnnouncer } from './schedulerAnnouncer.js';

/** How often deadlines are checked: a grace period ends at most this late. */
const CHECK_INTERVAL_MS = 500;

export class GraceKeeper {
  /** Stops the checks. */
  readonly stop: () => void;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly announcer: SchedulerAnnouncer,
    private readonly undecided: UndecidedVisits,
    private readonly wrapUps: WrapUps,
    private readonly logger: Logger,
  ) {
    this.stop = repeatWithoutOverlap(CHECK_INTERVAL_MS, () => this.check());
  }

  private async check(): Promise<void> {
    try {
      const events = await this.scheduler.expireDue();
      if (events.length > 0) {
        await Promise.all([this.announcer.announce(events), this.undecided.recordLostBooths(events), this.wrapUps.fileDefaults(events)]);
      }
    } catch (error) {
      this.logger.warn({ module: 'grace-keeper', err: (error as Error).message }, 'could not end due grace periods');
    }
  }
}
