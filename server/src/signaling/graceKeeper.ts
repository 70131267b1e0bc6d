/**
 * Ends grace periods and wrap-ups when they are due. Every server process runs one; the
 * scheduler's expiry script ends each deadline once, whichever process gets there first, and that
 * process records the served visits it ended as "ended without decision" (the booth was lost) and
 * files the default wrap-up code for visits left unfiled when a wrap-up timer ran out.
 */
import type { Logger } from '../logger.js';
import type { UndecidedVisits } from '../outcomes/undecidedVisits.js';
import type { WrapUps } from '../wrapUp/wrapUps.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { SchedulerAnnouncer } from './schedulerAnnouncer.js';

/** How often deadlines are checked: a grace period ends at most this late. */
const CHECK_INTERVAL_MS = 500;

export class GraceKeeper {
  private readonly timer: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly announcer: SchedulerAnnouncer,
    private readonly undecided: UndecidedVisits,
    private readonly wrapUps: WrapUps,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.check(), CHECK_INTERVAL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    // A slow Redis must not pile up checks.
    if (this.running) return;
    this.running = true;
    try {
      const events = await this.scheduler.expireDue();
      if (events.length > 0) {
        await Promise.all([this.announcer.announce(events), this.undecided.recordLostBooths(events), this.wrapUps.fileDefaults(events)]);
      }
    } catch (error) {
      this.logger.warn({ module: 'grace-keeper', err: (error as Error).message }, 'could not end due grace periods');
    } finally {
      this.running = false;
    }
  }
}
