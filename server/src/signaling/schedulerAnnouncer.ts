/**
 * Tells clients what a scheduler change did. Rooms reach sockets on every server process through
 * the Redis streams adapter, so whichever process made a change announces it:
 * - a booth's visit (assigned, ended, requeued) to its /journey sockets; an ended visit with the
 *   claimant's tracking code and the link to the public tracking page;
 * - a released, requeued or handed-over booth loses its desk link at once, so it never keeps receiving an
 *   officer it no longer belongs to (invariant 1), and its seat at the officer's desk (in this
 *   process) is freed, also when its link had already dropped;
 * - an officer's work view to their /officer sockets;
 * - new places to every waiting booth of a queue, gathered over a short moment so a burst of
 *   changes sends each booth one update, and to the queue's officers how many wait.
 */
import { NAMESPACES, type JourneyState } from '@bilik/shared';
import type { Logger } from '../logger.js';
import type { Scheduler, SchedulerEvent } from '../scheduler/scheduler.js';
import type { TrackingCodes } from '../tracking/trackingCodes.js';
import { trackingPageLink } from '../tracking/trackingPage.js';
import type { DecisionNotices } from '../tracking/decisionNotices.js';
import { boothRoom, monitorRoom, officerRoom } from './socketEvictions.js';
import type { SignalingServer } from './socketTypes.js';

/** How long queue-place updates are gathered before they are sent. */
const QUEUE_ANNOUNCE_DELAY_MS = 100;

/** What an ended visit's announcement needs to give the claimant their tracking code. */
export interface TrackingAnnouncement {
  codes: TrackingCodes;
  /** PUBLIC_TRACKING_URL, or null for this server's own tracking page. */
  publicUrl: string | null;
  /** The officers' decisions, told to the claimant with the code. */
  notices: DecisionNotices;
}

export class SchedulerAnnouncer {
  private readonly pendingQueues = new Set<string>();
  private queueTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly sessionOverListeners: ((officerId: string, boothId: string) => void)[] = [];

  constructor(
    private readonly io: SignalingServer,
    private readonly scheduler: Scheduler,
    private readonly logger: Logger,
    private readonly tracking: TrackingAnnouncement,
  ) {}

  /** Announces the effects of one scheduler change; never throws (a failed announcement is logged). */
  async announce(events: readonly SchedulerEvent[]): Promise<void> {
    // Each booth's state to announce: known, to be read from the scheduler (null), or an ended visit's.
    const booths = new Map<string, JourneyState | null | { endedVisit: string | undefined }>();
    const officers = new Set<string>();
    for (const event of events) {
      switch (event.type) {
        case 'assigned':
        case 'booth':
          if (!booths.has(event.boothId)) booths.set(event.boothId, null);
          break;
        case 'released':
          // The claimant's visit is over: the booth thanks them (ended) or starts afresh.
          booths.set(event.boothId, event.reason === 'ended' ? { endedVisit: event.visitId } : { state: 'idle' });
          this.closeDeskLink(event.boothId);
          if (event.officerId !== undefined) this.sessionOver(event.officerId, event.boothId);
          break;
        case 'transferred':
          // The claimant keeps the visit and the call; the link leaves the old desk and the kiosk
          // connects again at once, to be seated at the new one (invariant 1 holds meanwhile).
          if (!booths.has(event.boothId)) booths.set(event.boothId, null);
          this.io.of(NAMESPACES.booth).to(boothRoom(event.boothId)).emit('seat:moved', {});
          this.closeDeskLink(event.boothId);
          this.sessionOver(event.fromOfficerId, event.boothId);
          break;
        case 'requeued':
          booths.set(event.boothId, null);
          this.closeDeskLink(event.boothId);
          this.sessionOver(event.officerId, event.boothId);
          break;
        case 'work':
          officers.add(event.officerId);
          break;
        case 'queue':
          this.pendingQueues.add(event.queueId);
          break;
      }
    }
    try {
      await Promise.all([
        ...[...booths].map(async ([boothId, known]) => this.toBooth(boothId, await this.stateToAnnounce(boothId, known))),
        ...[...officers].map((officerId) => this.announceWork(officerId)),
      ]);
    } catch (error) {
      this.logger.error({ err: (error as Error).message }, 'could not announce a scheduler change');
    }
    this.scheduleQueueAnnouncement();
  }

  /** Calls `listener` with each booth whose session with an officer this process announces over. */
  onSessionOver(listener: (officerId: string, boothId: string) => void): void {
    this.sessionOverListeners.push(listener);
  }

  /** Sends an officer their current work view. */
  async announceWork(officerId: string): Promise<void> {
    const view = await this.scheduler.workOf(officerId);
    // Work events come only from changes to a known officer; an unknown one has nothing to show.
    if (view !== null) this.io.of(NAMESPACES.officer).to(officerRoom(officerId)).emit('work:changed', view);
  }

  /** Stops pending queue announcements. */
  close(): void {
    this.closed = true;
    clearTimeout(this.queueTimer);
  }

  private async stateToAnnounce(boothId: string, known: JourneyState | null | { endedVisit: string | undefined }): Promise<JourneyState> {
    if (known === null) return this.scheduler.journeyOf(boothId);
    return 'endedVisit' in known ? this.ended(known.endedVisit) : known;
  }

  /** The ended state of a visit, with its tracking code and decision (none when the visit has no id to find them by). */
  private async ended(visitId: string | undefined): Promise<JourneyState> {
    if (!visitId) return { state: 'ended', trackingCode: null, trackingUrl: null, decision: null };
    const trackingCode = this.tracking.codes.codeFor(visitId);
    const decision = await this.tracking.notices.of(visitId);
    return { state: 'ended', trackingCode, trackingUrl: trackingPageLink(this.tracking.publicUrl, trackingCode), decision };
  }

  /**
   * Closes the booth's /booth sockets only: the kiosk multiplexes /journey over the same
   * connection, and that must stay open to tell the claimant what happened. Supervisors
   * monitoring the visit are told it is over, and their monitors closed.
   */
  private closeDeskLink(boothId: string): void {
    this.io.of(NAMESPACES.booth).in(boothRoom(boothId)).disconnectSockets(false);
    const monitors = this.io.of(NAMESPACES.monitor).in(monitorRoom(boothId));
    monitors.emit('monitor:ended', { boothId });
    monitors.disconnectSockets(false);
  }

  private sessionOver(officerId: string, boothId: string): void {
    for (const listener of this.sessionOverListeners) listener(officerId, boothId);
  }

  private toBooth(boothId: string, journey: JourneyState): void {
    this.io.of(NAMESPACES.journey).to(boothRoom(boothId)).emit('journey:changed', journey);
  }

  private scheduleQueueAnnouncement(): void {
    if (this.closed || this.queueTimer !== undefined || this.pendingQueues.size === 0) return;
    this.queueTimer = setTimeout(() => {
      this.queueTimer = undefined;
      const queueIds = [...this.pendingQueues];
      this.pendingQueues.clear();
      void Promise.all(queueIds.map((queueId) => this.announceQueue(queueId))).catch((error: unknown) =>
        this.logger.error({ err: (error as Error).message }, 'could not announce queue places'),
      );
    }, QUEUE_ANNOUNCE_DELAY_MS);
  }

  private async announceQueue(queueId: string): Promise<void> {
    const [journeys, officers] = await Promise.all([this.scheduler.waitingJourneys(queueId), this.scheduler.officersServing(queueId)]);
    for (const [boothId, journey] of journeys) this.toBooth(boothId, journey);
    // Their work view counts the claimants waiting, which an empty desk shows.
    await Promise.all(officers.map((officer) => this.announceWork(officer.officerId)));
  }
}
