/**
 * The desks of this server process, one per officer, opened on first use and closed when the
 * last participant leaves. Which booth belongs to which officer's desk is the scheduler's call,
 * asked by signaling; the scheduler also holds each officer's capacity, so a desk is sized for
 * the most any officer may have.
 */
import { MAX_DESK_CAPACITY } from '@bilik/shared';
import type { Logger } from '../logger.js';
import { Desk, type TransportListenOptions } from './desk.js';
import type { WorkerPool } from './workerPool.js';

export class DeskRegistry {
  private readonly desks = new Map<string, Promise<Desk>>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly listen: TransportListenOptions,
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
    const opening = Desk.create(officerId, MAX_DESK_CAPACITY, this.pool.pickWorker(), this.listen, this.logger);
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
