/**
 * Frees the seats of sessions that ended in another process. A session ends in whichever process
 * makes the change (the one whose grace keeper expired the booth first, the one carrying a
 * revoked kiosk), and that process frees the seat only if the desk is open there; a desk lives on
 * one process. So every process compares, now and then, the seats of its own desks with the
 * scheduler's assignment in Redis, which outlives whoever ended the session, even a process
 * killed right after (as the presence leases do for connections).
 */
import type { Logger } from '../logger.js';
import { repeatWithoutOverlap } from '../repeating.js';
import type { DeskRegistry } from './deskRegistry.js';

/** How often the desks are compared with the assignment: a seat of a session ended elsewhere is freed at most this late. */
export const SEAT_SWEEP_INTERVAL_MS = 1_000;

export class SeatSweeper {
  /** Stops the sweeps. */
  readonly stop: () => void;
  private readonly logger: Logger;

  constructor(
    private readonly desks: DeskRegistry,
    /** The booths in session with an officer now (the scheduler's assignment). */
    private readonly assignedOf: (officerId: string) => Promise<readonly string[]>,
    logger: Logger,
  ) {
    this.logger = logger.child({ module: 'seat-sweeper' });
    this.stop = repeatWithoutOverlap(SEAT_SWEEP_INTERVAL_MS, () => this.sweep());
  }

  private async sweep(): Promise<void> {
    try {
      const freed = await this.desks.releaseEndedSessions(this.assignedOf);
      if (freed > 0) this.logger.info({ freed }, 'freed the seats of sessions ended elsewhere');
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'could not compare the desks with the assignment');
    }
  }
}
