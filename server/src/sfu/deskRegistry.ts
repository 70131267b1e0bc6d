/**
 * The desks of this server process, one per officer, opened on first use and closed when the
 * last participant leaves. Which booth belongs to which officer's desk is asked of the
 * assignment source (a fixed pairing until the scheduler provides assignments).
 */
import type { AccountStore } from '../accounts/accountStore.js';
import type { Logger } from '../logger.js';
import { Desk, type TransportListenOptions } from './desk.js';
import type { WorkerPool } from './workerPool.js';

/** Which officer's desk a booth is assigned to, and how many booths each officer may serve. */
export interface AssignmentSource {
  /** The officer a booth is assigned to, or null when it is not assigned. */
  officerOfBooth(boothId: string): Promise<string | null>;
  /** How many booths the officer serves at once (4 to 6). */
  capacityOf(officerId: string): Promise<number>;
}

/** Capacity of an officer whose account cannot be read: the product's default. */
const DEFAULT_CAPACITY = 6;

export class DeskRegistry {
  private readonly desks = new Map<string, Promise<Desk>>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly listen: TransportListenOptions,
    readonly assignments: AssignmentSource,
    private readonly logger: Logger,
  ) {}

  /** The officer's desk, opened if needed. Concurrent callers get the same desk. */
  async deskOf(officerId: string): Promise<Desk> {
    const existing = this.desks.get(officerId);
    if (existing) {
      const desk = await existing;
      if (!desk.isClosed) return desk;
      this.desks.delete(officerId);
    }
    const opening = this.assignments
      .capacityOf(officerId)
      .then((capacity) => Desk.create(officerId, capacity, this.pool.pickWorker(), this.listen, this.logger));
    this.desks.set(officerId, opening);
    opening.catch(() => this.desks.delete(officerId));
    return opening;
  }

  /** Closes the desk if nobody is left at it. */
  async closeIfEmpty(officerId: string): Promise<void> {
    const pending = this.desks.get(officerId);
    if (!pending) return;
    const desk = await pending;
    if (desk.isEmpty && this.desks.get(officerId) === pending) {
      this.desks.delete(officerId);
      desk.close();
    }
  }

  /** Closes every desk. */
  async close(): Promise<void> {
    const desks = await Promise.allSettled(this.desks.values());
    this.desks.clear();
    for (const result of desks) if (result.status === 'fulfilled') result.value.close();
  }
}

/**
 * Assignments until the scheduler exists: the development desk's booths go to the officer with
 * its username (none in production); capacities come from the officers' accounts.
 */
export function devDeskAssignments(
  devDesk: { officerUsername: string; boothIds: readonly string[] } | null,
  accounts: Pick<AccountStore, 'findByUsername' | 'findById'>,
): AssignmentSource {
  return {
    officerOfBooth: async (boothId) => {
      if (!devDesk?.boothIds.includes(boothId)) return null;
      return (await accounts.findByUsername(devDesk.officerUsername))?.id ?? null;
    },
    capacityOf: async (officerId) => (await accounts.findById(officerId))?.capacity ?? DEFAULT_CAPACITY,
  };
}
