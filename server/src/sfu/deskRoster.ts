/**
 * Who is at a desk and what the officer is doing with them: each booth's seat (its tile's place
 * and talk key, kept while its session lasts, also while its link is down), whom the officer
 * talks to, which tile is enlarged, the order of "Panggil Petugas" calls, which claimants cannot
 * hear the officer, the officer's display name for the booths, who is speaking, since
 * when each booth waits on hold and since when its claimant waits for the officer's word. No
 * mediasoup here: the desk applies media from this state, and the two views it renders are what
 * the clients are told. What must outlive this process is its snapshot (see deskSeats.ts).
 */
import type { BoothState, DeskState } from '@bilik/shared';
import { ForbiddenError, InvalidStateError } from '../errors.js';

interface BoothEntry {
  /** 1 to capacity: the booth's tile place and talk key for as long as its session lasts. */
  seat: number;
  /** Its media link is at the desk now; a booth whose link dropped keeps its seat until its session ends. */
  linked: boolean;
  /** When this booth last started waiting on hold (the officer present, talking to another), or null. */
  heldSince: number | null;
  /** When the officer last stopped talking to this claimant (or it was seated), or null while talked to. */
  waitingSince: number | null;
}

/** What a desk's seats, talk, calls and "cannot hear" flags are, to be restored by a desk opened again (after a restart). */
export interface RosterSnapshot {
  booths: { boothId: string; seat: number; waitingSince: number | null }[];
  talkingToBoothId: string | null;
  calls: string[];
  /** Booths whose claimant said they cannot hear the officer, not yet answered or dismissed. */
  cannotHear: string[];
}

/** How long a claimant seated since `waitingSince` has waited for the officer's word at `now`; null while talked to. */
export function waitedMs(waitingSince: number | null, now: number): number | null {
  return waitingSince === null ? null : Math.max(0, now - waitingSince);
}

export class DeskRoster {
  private readonly booths = new Map<string, BoothEntry>();
  private officerPresent = false;
  private talkingTo: string | null = null;
  private focused: string | null = null;
  private calls: string[] = [];
  /** Booths whose claimant pressed "Saya tidak bisa mendengar", until the officer talks to them or dismisses it. */
  private readonly cannotHear = new Set<string>();
  /** The present officer's display name, which the booths show; null while no officer is here. */
  private officerName: string | null = null;
  private speaking = new Set<string>();
  /** Booths whose kiosks report their media path down and being recovered. */
  private readonly reconnecting = new Set<string>();
  /** The officer's console reports its media path down and being recovered. */
  private officerReconnecting = false;

  /** A desk of `capacity` seats, restoring `restored`'s booths as not linked yet. */
  constructor(
    readonly capacity: number,
    private readonly now: () => number = Date.now,
    restored: RosterSnapshot | null = null,
  ) {
    if (!restored) return;
    for (const { boothId, seat, waitingSince } of restored.booths) {
      if (this.booths.size >= capacity || seat < 1 || seat > capacity || this.seatTaken(seat)) continue;
      this.booths.set(boothId, { seat, linked: false, heldSince: null, waitingSince });
    }
    this.talkingTo = restored.talkingToBoothId !== null && this.booths.has(restored.talkingToBoothId) ? restored.talkingToBoothId : null;
    this.calls = restored.calls.filter((boothId) => this.booths.has(boothId));
    for (const boothId of restored.cannotHear) if (this.booths.has(boothId)) this.cannotHear.add(boothId);
  }

  get talkingToBoothId(): string | null {
    return this.talkingTo;
  }

  get focusedBoothId(): string | null {
    return this.focused;
  }

  /** The booths seated here, linked or not, in seat order. */
  get boothIds(): string[] {
    return this.seated().map(([boothId]) => boothId);
  }

  hasBooth(boothId: string): boolean {
    return this.booths.has(boothId);
  }

  /** Whether this booth is seated here and its media link is up now. */
  isLinked(boothId: string): boolean {
    return this.booths.get(boothId)?.linked === true;
  }

  /** Whether this booth is seated here already or would fit. */
  hasRoomFor(boothId: string): boolean {
    return this.booths.has(boothId) || this.booths.size < this.capacity;
  }

  /**
   * A booth's media link arrived. A booth already seated (back from a reload or a lost link, or
   * restored after a restart) keeps its seat, call, hold and talk; a new one takes the lowest free
   * seat, refused when there is none. The first booth of an idle officer is talked to at once.
   */
  linkBooth(boothId: string): void {
    const entry = this.booths.get(boothId);
    if (entry) {
      entry.linked = true;
      return;
    }
    if (!this.hasRoomFor(boothId)) throw new InvalidStateError(`This desk is full (${this.capacity} booths)`);
    this.booths.set(boothId, { seat: this.freeSeat(), linked: true, heldSince: null, waitingSince: this.now() });
    if (this.talkingTo === null && this.booths.size === 1) this.talk(boothId);
    this.refreshHolds();
  }

  /** A booth's media link left while its session goes on: it keeps its seat and shows as reconnecting. */
  unlinkBooth(boothId: string): void {
    const entry = this.booths.get(boothId);
    if (!entry) return;
    entry.linked = false;
    this.speaking.delete(boothId);
    this.reconnecting.delete(boothId);
  }

  /** The booth's session is over: its seat is free; if the officer was talking to it, they talk to nobody until they choose. */
  removeBooth(boothId: string): void {
    if (!this.booths.delete(boothId)) return;
    if (this.talkingTo === boothId) this.talkingTo = null;
    if (this.focused === boothId) this.focused = null;
    this.calls = this.calls.filter((id) => id !== boothId);
    this.cannotHear.delete(boothId);
    this.speaking.delete(boothId);
    this.reconnecting.delete(boothId);
    this.refreshHolds();
  }

  /**
   * The officer arrives (with the display name of their account, which their booths show) or
   * leaves; an arriving officer's media path starts afresh, not recovering.
   */
  setOfficerPresent(present: boolean, displayName: string | null = null): void {
    this.officerPresent = present;
    this.officerName = present ? displayName : null;
    this.officerReconnecting = false;
    this.refreshHolds();
  }

  /** The officer talks to `boothId` (null: to nobody). Answering a booth clears its call and its "cannot hear". */
  selectTalk(boothId: string | null): void {
    if (boothId !== null) {
      this.requireBooth(boothId);
      this.calls = this.calls.filter((id) => id !== boothId);
      this.cannotHear.delete(boothId);
    }
    this.talk(boothId);
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

  /**
   * Records a claimant's "Saya tidak bisa mendengar"; returns whether it changed anything, so a
   * booth pressing again and again while it shows tells the officer nothing more.
   */
  reportCannotHear(boothId: string): boolean {
    this.requireBooth(boothId);
    if (this.cannotHear.has(boothId)) return false;
    this.cannotHear.add(boothId);
    return true;
  }

  /** The officer dismisses a booth's "cannot hear" without talking to it; returns whether it was showing. */
  dismissCannotHear(boothId: string): boolean {
    this.requireBooth(boothId);
    return this.cannotHear.delete(boothId);
  }

  /** Replaces who is speaking; returns whether anything changed. */
  setSpeaking(boothIds: ReadonlySet<string>): boolean {
    const next = new Set([...boothIds].filter((id) => this.isLinked(id)));
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

  /**
   * The officer console's view of the desk, booths in seat order, but for barge-ins, which the
   * desk adds (it seats the supervisors).
   */
  deskState(): Omit<DeskState, 'bargedBoothIds'> {
    const now = this.now();
    return {
      capacity: this.capacity,
      booths: this.seated().map(([boothId, entry]) => ({
        boothId,
        seat: entry.seat,
        attentionPlace: this.placeOf(boothId),
        cannotHear: this.cannotHear.has(boothId),
        speaking: this.speaking.has(boothId),
        reconnecting: !entry.linked || this.reconnecting.has(boothId),
        waitingMs: waitedMs(entry.waitingSince, now),
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
      officerName: this.officerPresent ? this.officerName : null,
      cannotHear: this.cannotHear.has(boothId),
    };
  }

  /** What a desk opened again needs to give every booth back its seat, talk, call and "cannot hear". */
  snapshot(): RosterSnapshot {
    return {
      booths: this.seated().map(([boothId, { seat, waitingSince }]) => ({ boothId, seat, waitingSince })),
      talkingToBoothId: this.talkingTo,
      calls: [...this.calls],
      cannotHear: [...this.cannotHear],
    };
  }

  private seated(): [string, BoothEntry][] {
    return [...this.booths].sort(([, a], [, b]) => a.seat - b.seat);
  }

  private seatTaken(seat: number): boolean {
    return [...this.booths.values()].some((entry) => entry.seat === seat);
  }

  private freeSeat(): number {
    let seat = 1;
    while (this.seatTaken(seat)) seat += 1;
    return seat;
  }

  /** Moves talk, and with it who waits for the officer's word: the booth left waits from now. */
  private talk(boothId: string | null): void {
    const previous = this.talkingTo === null ? undefined : this.booths.get(this.talkingTo);
    if (previous && this.talkingTo !== boothId) previous.waitingSince = this.now();
    this.talkingTo = boothId;
    const next = boothId === null ? undefined : this.booths.get(boothId);
    if (next) next.waitingSince = null;
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
