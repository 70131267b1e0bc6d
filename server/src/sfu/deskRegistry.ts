/**
 * The desks of this server process, one per officer, opened on first use and closed when the
 * last participant leaves. Which booth belongs to which officer's desk is the scheduler's call,
 * asked by signaling; the scheduler also holds each officer's capacity, so a desk is sized for
 * the most any officer may have. A desk whose worker died re-opens on a live worker, its
 * participants still seated. A desk opened again takes its seats back from the seat store.
 */
import { MAX_DESK_CAPACITY } from '@bilik/shared';
import type { Logger } from '../logger.js';
import { Desk, type DeskCensus } from './desk.js';
import type { DeskSeatStore } from './deskSeats.js';
import type { WorkerPool } from './workerPool.js';

export class DeskRegistry {
  private readonly desks = new Map<string, Promise<Desk>>();
  /** The desks that have opened, by officer: what `desks` resolved to, readable without waiting (see census). */
  private readonly opened = new Map<string, Desk>();

  private readonly logger: Logger;

  constructor(
    private readonly pool: WorkerPool,
    /** The highest simulcast layer booths may send: their uplink cap (see boothUplink.ts). */
    private readonly maxBoothLayer: number,
    private readonly parentLogger: Logger,
    private readonly seats: DeskSeatStore,
  ) {
    this.logger = parentLogger.child({ module: 'desk-registry' });
    pool.onWorkerDied(() => this.reopenLostDesks());
  }

  /** The officer's desk, opened if needed. Concurrent callers get the same desk. */
  async deskOf(officerId: string): Promise<Desk> {
    const existing = this.desks.get(officerId);
    if (existing) {
      const desk = await existing;
      if (!desk.isClosed) return desk;
      this.desks.delete(officerId);
      this.opened.delete(officerId);
    }
    const opening = Promise.all([this.pool.liveWorker(), this.seats.open(officerId)])
      .then(([worker, seats]) => Desk.create(officerId, MAX_DESK_CAPACITY, this.maxBoothLayer, worker, this.parentLogger, seats))
      .then((desk) => {
        this.opened.set(officerId, desk);
        return desk;
      });
    this.desks.set(officerId, opening);
    opening.catch(() => this.desks.delete(officerId));
    return opening;
  }

  /**
   * Re-opens every desk whose router died with its worker, on the least-loaded live worker (a
   * replacement, if none is left); callers of deskOf meanwhile wait for it. Each desk logs its
   * loss and its re-opening, by officer id (the desk's id).
   */
  private reopenLostDesks(): void {
    for (const [officerId, pending] of this.desks) {
      const reopening = pending.then(async (desk) => {
        if (!desk.isLost) return desk;
        this.logger.warn({ officerId }, 'desk lost with its worker; re-opening it');
        await desk.reopen(await this.pool.liveWorker());
        return desk;
      });
      this.desks.set(officerId, reopening);
      reopening.catch((error: unknown) => {
        this.logger.error({ officerId, err: (error as Error).message }, 'could not re-open a desk');
        if (this.desks.get(officerId) === reopening) {
          this.desks.delete(officerId);
          this.opened.delete(officerId);
        }
      });
    }
  }

  /** Frees the booth's seat at the officer's desk, if it is open in this process: the session is over. */
  releaseBooth(officerId: string, boothId: string): void {
    const desk = this.opened.get(officerId);
    if (desk && !desk.isClosed) desk.release(boothId);
  }

  /**
   * Frees the seats, at the desks open in this process, of booths whose media link is down and
   * whose session with the desk's officer is over by `assignedOf` (the scheduler's assignment):
   * a session another process ended (a grace period it expired) is announced there only. A booth
   * whose link is up, or came up while the assignment was read, keeps its seat: a session that
   * ended closes the link everywhere. Resolves to how many seats were freed.
   */
  async releaseEndedSessions(assignedOf: (officerId: string) => Promise<readonly string[]>): Promise<number> {
    let freed = 0;
    for (const [officerId, desk] of this.opened) {
      if (desk.isClosed || desk.boothIds.every((boothId) => desk.isBoothLinked(boothId))) continue;
      const assigned = new Set(await assignedOf(officerId));
      for (const boothId of desk.boothIds) {
        if (desk.isClosed || desk.isBoothLinked(boothId) || assigned.has(boothId)) continue;
        desk.release(boothId);
        freed += 1;
      }
    }
    return freed;
  }

  /** Closes the desk if nobody is left at it; resolves to whether no desk of the officer is open here now. */
  async closeIfEmpty(officerId: string): Promise<boolean> {
    const pending = this.desks.get(officerId);
    if (!pending) return true;
    const desk = await pending;
    if (desk.isEmpty && this.desks.get(officerId) === pending) {
      this.desks.delete(officerId);
      this.opened.delete(officerId);
      desk.close();
      return true;
    }
    return false;
  }

  /** The officers whose desks are open or opening here. */
  officerIds(): string[] {
    return [...this.desks.keys()];
  }

  /** Closes the officer's desk here and moves everyone at it (Desk.closeAndMove): it is to be held elsewhere. */
  async evict(officerId: string): Promise<void> {
    const pending = this.desks.get(officerId);
    if (!pending) return;
    this.desks.delete(officerId);
    this.opened.delete(officerId);
    const desk = await pending.catch(() => null);
    desk?.closeAndMove();
  }

  /**
   * What each open desk holds now. Read from the desks already open, without waiting for one
   * being opened or re-opened (a scrape must not wait for a worker to start); a desk whose worker
   * died is left out until it is re-opened.
   */
  census(): DeskCensus[] {
    return [...this.opened.values()].filter((desk) => !desk.isClosed).map((desk) => desk.census());
  }

  /** Closes every desk. */
  async close(): Promise<void> {
    const desks = await Promise.allSettled(this.desks.values());
    this.desks.clear();
    this.opened.clear();
    for (const result of desks) if (result.status === 'fulfilled') result.value.close();
  }
}
