/**
 * Each desk's seats, talk, calls and "cannot hear" flags in Redis (DeskRoster's snapshot), so that a desk opened again
 * (its last participant left and came back, or the server restarted) gives every booth its tile
 * place, talk key, call, "cannot hear" and hold back, and the officer the booth they were talking to. Written
 * after each change of them, in order; a booth no longer in session with the officer is dropped
 * when the snapshot is read.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { RosterSnapshot } from './deskRoster.js';

const KEY_PREFIX = 'bilik:desk:';
/** A desk left alone this long has no session left to restore (staff sessions end after 12 h at most). */
const SNAPSHOT_TTL_SECONDS = 24 * 3600;

const snapshotSchema = z.object({
  booths: z.array(z.object({ boothId: z.string(), seat: z.number().int(), waitingSince: z.number().nullable() })),
  talkingToBoothId: z.string().nullable(),
  calls: z.array(z.string()),
  // Absent from snapshots stored before the flag was kept: none was pending then.
  cannotHear: z.array(z.string()).default([]),
});

/** One desk's stored snapshot, read when it opens and written after each change. */
export interface DeskSeats {
  /** What was stored, limited to the booths still in session with the officer; null when nothing was. */
  restored: RosterSnapshot | null;
  /** Stores the snapshot after the ones saved before it; a failure is logged, the desk goes on. */
  save(snapshot: RosterSnapshot): void;
}

export class DeskSeatStore {
  /** Writes of every desk in order, so an older snapshot never lands after a newer one. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    /** The booths in session with an officer now (the scheduler's assignment). */
    private readonly boothsOf: (officerId: string) => Promise<readonly string[]>,
    private readonly logger: Logger,
  ) {}

  /** The officer's desk's seats as stored. */
  async open(officerId: string): Promise<DeskSeats> {
    const key = KEY_PREFIX + officerId;
    const [stored, assigned] = await Promise.all([this.redis.get(key), this.boothsOf(officerId)]);
    return {
      restored: stored === null ? null : this.parse(stored, new Set(assigned), officerId),
      save: (snapshot) => {
        this.writing = this.writing
          .then(() => this.redis.set(key, JSON.stringify(snapshot), 'EX', SNAPSHOT_TTL_SECONDS))
          .catch((error: unknown) => this.logger.warn({ officerId, err: (error as Error).message }, 'could not store the desk seats'));
      },
    };
  }

  /**
   * Since when each claimant seated at the officer's desk waits for the officer's word (null:
   * talked to), as last stored; booths whose session ended may still be listed.
   */
  async waitingSince(officerId: string): Promise<ReadonlyMap<string, number | null>> {
    const stored = await this.redis.get(KEY_PREFIX + officerId);
    if (stored === null) return new Map();
    let booths: RosterSnapshot['booths'];
    try {
      booths = snapshotSchema.parse(JSON.parse(stored)).booths;
    } catch {
      // Unreadable: the desk starts afresh when it opens (see parse); until then no hold is known.
      return new Map();
    }
    return new Map(booths.map((booth) => [booth.boothId, booth.waitingSince]));
  }

  private parse(stored: string, assigned: ReadonlySet<string>, officerId: string): RosterSnapshot | null {
    let parsed: RosterSnapshot;
    try {
      parsed = snapshotSchema.parse(JSON.parse(stored));
    } catch (error) {
      this.logger.warn({ officerId, err: (error as Error).message }, 'stored desk seats unreadable; starting afresh');
      return null;
    }
    return {
      booths: parsed.booths.filter((booth) => assigned.has(booth.boothId)),
      talkingToBoothId: parsed.talkingToBoothId !== null && assigned.has(parsed.talkingToBoothId) ? parsed.talkingToBoothId : null,
      calls: parsed.calls.filter((boothId) => assigned.has(boothId)),
      cannotHear: parsed.cannotHear.filter((boothId) => assigned.has(boothId)),
    };
  }
}

/** Seats kept in memory only, for a desk no other process or restart needs to find again. */
export const UNSTORED_SEATS: DeskSeats = { restored: null, save: () => undefined };
