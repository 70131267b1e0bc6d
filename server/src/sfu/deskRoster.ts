/**
 * Who is at a desk and what the officer is doing with them: the booths in arrival order, whom
 * the officer talks to, which tile is enlarged, the order of "Panggil Petugas" calls, who is
 * speaking, and since when each booth waits on hold. No mediasoup here: the desk applies media
 * from this state, and the two views it renders are what the clients are told.
 */
import type { BoothState, DeskState } from '@bilik/shared';
import { ForbiddenError, InvalidStateError } from '../errors.js';

interface BoothEntry {
  joinedAt: number;
  /** When this booth last started waiting on hold, or null while it is not held. */
  heldSince: number | null;
}

export class DeskRoster {
  /** Booths in the order they arrived: the order of the officer's tiles and keys 1 to 6. */
  private readonly booths = new Map<string, BoothEntry>();
  private officerPresent = false;
  private talkingTo: string | null = null;
  private focused: string | null = null;
  private calls: string[] = [];
  private speaking = new Set<string>();
  /** Booths whose kiosks report their media path down and being recovered. */
  private readonly reconnecting = new Set<string>();
  /** The officer's console reports its media path down and being recovered. */
  private officerReconnecting = false;

  constructor(
    readonly capacity: number,
    private readonly now: () => number = Date.now,
  ) {}

  get talkingToBoothId(): string | null {
    return this.talkingTo;
  }

  get focusedBoothId(): string | null {
    return this.focused;
  }

  get boothIds(): string[] {
    return [...this.booths.keys()];
  }

  hasBooth(boothId: string): boolean {
    return this.booths.has(boothId);
  }

  /** Whether this booth is seated here already or would fit. */
  hasRoomFor(boothId: string): boolean {
    return this.booths.has(boothId) || this.booths.size < this.capacity;
  }

  /** Seats a booth; refused when the desk is at capacity. The first booth of an idle officer is talked to at once. */
  addBooth(boothId: string): void {
    if (this.booths.has(boothId)) return;
    if (!this.hasRoomFor(boothId)) throw new InvalidStateError(`This desk is full (${this.capacity} booths)`);
    this.booths.set(boothId, { joinedAt: this.now(), heldSince: null });
    if (this.talkingTo === null && this.booths.size === 1) this.talkingTo = boothId;
    this.refreshHolds();
  }

  /** Removes a booth; if the officer was talking to it, the officer talks to nobody until they choose. */
  removeBooth(boothId: string): void {
    if (!this.booths.delete(boothId)) return;
    if (this.talkingTo === boothId) this.talkingTo = null;
    if (this.focused === boothId) this.focused = null;
    this.calls = this.calls.filter((id) => id !== boothId);
    this.speaking.delete(boothId);
    this.reconnecting.delete(boothId);
    this.refreshHolds();
  }

  /** The officer arrives or leaves; an arriving officer's media path starts afresh, not recovering. */
  setOfficerPresent(present: boolean): void {
    this.officerPresent = present;
    this.officerReconnecting = false;
    this.refreshHolds();
  }

  /** The officer talks to `boothId` (null: to nobody). Answering a calling booth clears its call. */
  selectTalk(boothId: string | null): void {
    if (boothId !== null) {
      this.requireBooth(boothId);
      this.calls = this.calls.filter((id) => id !== boothId);
    }
    this.talkingTo = boothId;
    this.refreshHolds();
  }

  /** Enlarges one booth's tile (null: back to the grid). */
  focus(boothId: string | null): void {
    if (boothId !== null) this.requireBooth(boothId);
    this.focused = boothId;
  }

  /** Records a "Panggil Petugas" call and returns the booth's place in the order of calls. */
  call(boothId: string): number {
    this.requireBooth(boothId);
    if (!this.calls.includes(boothId)) this.calls.push(boothId);
    return this.calls.indexOf(boothId) + 1;
  }

  /** Replaces who is speaking; returns whether anything changed. */
  setSpeaking(boothIds: ReadonlySet<string>): boolean {
    const next = new Set([...boothIds].filter((id) => this.booths.has(id)));
    const changed = next.size !== this.speaking.size || [...next].some((id) => !this.speaking.has(id));
    this.speaking = next;
    return changed;
  }

  /** Records what a booth's kiosk reports of its media path; returns whether anything changed. */
  setReconnecting(boothId: string, reconnecting: boolean): boolean {
    this.requireBooth(boothId);
    if (this.reconnecting.has(boothId) === reconnecting) return false;
    if (reconnecting) this.reconnecting.add(boothId);
    else this.reconnecting.delete(boothId);
    return true;
  }

  /** Records whether the officer's media path is recovering; true if that changed. */
  setOfficerReconnecting(reconnecting: boolean): boolean {
    if (!this.officerPresent || this.officerReconnecting === reconnecting) return false;
    this.officerReconnecting = reconnecting;
    return true;
  }

  /** The officer console's view of the desk, but for barge-ins, which the desk adds (it seats the supervisors). */
  deskState(): Omit<DeskState, 'bargedBoothIds'> {
    const now = this.now();
    return {
      capacity: this.capacity,
      booths: [...this.booths].map(([boothId, entry]) => ({
        boothId,
        inSessionMs: now - entry.joinedAt,
        attentionPlace: this.placeOf(boothId),
        speaking: this.speaking.has(boothId),
        reconnecting: this.reconnecting.has(boothId),
      })),
      talkingToBoothId: this.talkingTo,
      focusedBoothId: this.focused,
    };
  }

  /** One booth's view: its own call and hold only, nothing about other booths. */
  boothState(boothId: string): BoothState {
    const entry = this.booths.get(boothId);
    return {
      officerPresent: this.officerPresent,
      officerReconnecting: this.officerReconnecting,
      talking: this.officerPresent && this.talkingTo === boothId,
      heldForMs: entry?.heldSince != null ? this.now() - entry.heldSince : null,
      attentionPlace: this.placeOf(boothId),
    };
  }

  private placeOf(boothId: string): number | null {
    const index = this.calls.indexOf(boothId);
    return index === -1 ? null : index + 1;
  }

  private requireBooth(boothId: string): void {
    if (!this.booths.has(boothId)) throw new ForbiddenError(`Booth ${boothId} is not at your desk`);
  }

  /** A booth is on hold while its officer is present but talking to someone else. */
  private refreshHolds(): void {
    const now = this.now();
    for (const [boothId, entry] of this.booths) {
      const held = this.officerPresent && this.talkingTo !== boothId;
      if (held && entry.heldSince === null) entry.heldSince = now;
      if (!held) entry.heldSince = null;
    }
  }
}
