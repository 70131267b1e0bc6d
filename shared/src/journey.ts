/**
 * The contract of a claimant's visit and an officer's working state, apart from the zod schemas
 * so that the browser apps can import it without bundling zod.
 */
import type { Decision, DocumentKind } from './outcome.js';

/** The four benefit programmes a claimant can come for, in the order the booth offers them. */
export const SERVICES = ['jht', 'jkk', 'jkm', 'jp'] as const;
export type Service = (typeof SERVICES)[number];

/** A queue-ticket number as branches print them: letters, digits and dashes. */
export const TICKET_PATTERN = /^[A-Z0-9-]{1,12}$/;

/**
 * Where a booth's visit stands, as the booth shows it:
 * - idle: the welcome screen, nobody at the booth;
 * - waiting: in its branch's queue;
 * - assigned: an officer serves it; `officerAway` while that officer's connection is lost;
 * - transferring: its officer handed the claimant to another officer (or back to the front of the
 *   queue); the call stays open and the booth says it is moving until the next desk seats it;
 * - ended: the officer ended the session; the booth thanks the claimant, shows the visit's tracking
 *   code, and goes back to idle.
 */
export type JourneyState =
  | { state: 'idle' }
  | {
      state: 'waiting';
      service: Service;
      priority: boolean;
      /** 1 for the next booth to be served. */
      place: number;
      /** Officers serving this queue who are signed in; 0 means nobody is on duty. */
      officersOnDuty: number;
      /** A rough estimate; null when no officer takes booths now (none on duty, or all on a break): nothing to promise. */
      estimatedWaitMinutes: number | null;
    }
  | { state: 'assigned'; service: Service; officerAway: boolean }
  | { state: 'transferring'; service: Service }
  | {
      state: 'ended';
      /** The claimant's tracking code for the visit (upper case, without its dash), or null when unknown. */
      trackingCode: string | null;
      /**
       * The public tracking page for that code, to put in a QR code: absolute when PUBLIC_TRACKING_URL
       * is configured, else a path on the server the booth was loaded from. Null with the code.
       */
      trackingUrl: string | null;
      /** What the officer decided, for the claimant to read; null when no decision was submitted. */
      decision: VisitDecision | null;
    };

/** The officer's decision on a visit as the claimant is told it at the end: no reasons, no notes. */
export interface VisitDecision {
  decision: Decision;
  /** For `incomplete`: the documents to bring next time; empty otherwise. */
  missingDocuments: DocumentKind[];
}

/** An officer's working state: only `available` officers get new booths. */
export const WORK_STATES = ['available', 'paused', 'wrap_up', 'offline'] as const;
export type WorkState = (typeof WORK_STATES)[number];

/** Why an officer takes a break, as they choose it: a rest, prayers, training. */
export const BREAK_REASONS = ['istirahat', 'sholat', 'pelatihan'] as const;
export type BreakReason = (typeof BREAK_REASONS)[number];
/**
 * Why a paused officer takes no new booths: a break, or `not_ready`, where a console opened by an
 * officer who was off duty starts until they press "Siap".
 */
export type PauseReason = BreakReason | 'not_ready';

/** One booth session of an officer, as the console lists it. Durations are as of sending. */
export interface SessionView {
  boothId: string;
  /** The visit's id: names the session in records (verification outcomes). */
  visitId: string;
  /** The branch the visit is at: whose wrap-up codes it is filed under (an officer may serve several). */
  branchId: string;
  service: Service;
  ticket: string | null;
  priority: boolean;
  /** How long the claimant waited before being assigned. */
  waitedMs: number;
  /** How long since the booth was assigned to this officer. */
  assignedForMs: number;
  /** The booth's connection is lost; it keeps its session for the grace period. */
  boothAway: boolean;
  /** The claimant was handed to this officer by another (visit:transfer): with whose note and what was captured; null otherwise. */
  transfer: TransferView | null;
}

/** The longest note an officer may hand over with a claimant. */
export const MAX_TRANSFER_NOTE_LENGTH = 500;

/** A document photo captured earlier in a visit, which follows the visit to the next officer. */
export interface TransferredDocument {
  documentId: string;
  width: number;
  height: number;
  bytes: number;
}

/** How a claimant reached this officer's desk: the last hand-over of the visit. */
export interface TransferView {
  fromOfficerId: string;
  /** The display name of the officer who handed over; null when the account is gone. */
  fromName: string | null;
  /** The handing officer's note, for the receiving officer only. */
  note: string;
  /** When the claimant was handed over (ISO 8601). */
  at: string;
  /** The visit's document photos captured before the hand-over, oldest first. */
  documents: TransferredDocument[];
}

/** Whom an officer may hand a claimant to: a signed-in officer or supervisor of the visit's branch, or the front of its queue. */
export type TransferTarget = { kind: 'officer'; officerId: string } | { kind: 'queue' };

/** One officer (or supervisor serving a desk) of the branch who could take a claimant now or soon, as the console's picker lists them. */
export interface TransferOfficerView {
  accountId: string;
  displayName: string;
  /** A supervisor serving a desk is where an officer escalates a claimant. */
  role: 'officer' | 'supervisor';
  state: WorkState;
  /** Seats free now (0: the claimant waits at the front for the officer's next free seat). */
  freeSeats: number;
}

/** What the console's "Pindahkan" picker offers for one booth. */
export interface TransferTargetsView {
  /** The branch's signed-in officers and supervisors serving a desk, but the caller. */
  officers: TransferOfficerView[];
  /** Whether another officer serves the branch's queue, so that the queue's front is a place to hand over to. */
  queue: boolean;
}

/** Where a handed-over claimant went: seated at once at the receiving desk, or waiting at the front for it. */
export interface TransferResult {
  visitId: string;
  seated: boolean;
}

/** What the officer's console shows of their work: state, capacity and sessions. */
export interface WorkView {
  state: WorkState;
  capacity: number;
  /** While in wrap-up: how long until the officer is available again by itself, or null. */
  wrapUpEndsInMs: number | null;
  /** While paused: why, and for how long so far (it survives the officer's reconnects, however long). */
  pause: { reason: PauseReason; forMs: number } | null;
  /** Claimants waiting in the queues the officer serves, for the empty desk to say. */
  waitingClaimants: number;
  sessions: SessionView[];
}

/** One waiting booth on the supervisor page. */
export interface WaitingBoothView {
  boothId: string;
  service: Service;
  ticket: string | null;
  priority: boolean;
  waitedMs: number;
  /** Waited longer than the service level's maximum wait. */
  overMaxWait: boolean;
  /** The booth's connection is lost; it keeps its place for the grace period. */
  away: boolean;
}

/** A kiosk whose claimant asked for help outside the call, until a supervisor clears it. */
export interface HelpRequestView {
  boothId: string;
  /** When the claimant first asked (ISO 8601). */
  requestedAt: string;
}

/** A booth in session with an officer, as the supervisor page shows it. */
export interface BoothHoldView {
  boothId: string;
  /**
   * How long its claimant has waited since the officer last talked to them, as the officer's
   * desk counts it (DeskBoothView.waitingMs); null while talked to.
   */
  waitingMs: number | null;
}

/** A supervisor asks an officer to come back from a break: shown on the officer's console until dismissed. */
export interface WorkRecall {
  /** The supervisor's display name. */
  by: string;
  /** When they asked (ISO 8601). */
  at: string;
}

/** One officer of the branch on the supervisor page. */
export interface OfficerLoadView {
  accountId: string;
  displayName: string;
  /** A supervisor is listed while serving a desk (taking escalations); their capacity and breaks are their own. */
  role: 'officer' | 'supervisor';
  state: WorkState;
  capacity: number;
  activeSessions: number;
  /** The booths in session with this officer: each a live visit a supervisor may monitor. */
  boothIds: string[];
  /** Those of the same booths the desk has seated, with how long each claimant has waited for the officer's word. */
  holds: BoothHoldView[];
}

/** Summary of a set of durations (milliseconds); zeros when `count` is 0. */
export interface DurationSummary {
  count: number;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
}

/** One day's figures of a branch's queue: the claimants' waits for an officer, and the sessions that ended (those served). */
export interface QueueDayFigures {
  /** The calendar day, YYYY-MM-DD, in the server's statistics time zone. */
  day: string;
  waits: DurationSummary;
  sessions: DurationSummary;
}

/** GET /api/branches/:branchId/queue-days: a branch's figures per day, oldest first, today's as last copied. */
export interface BranchQueueDays {
  branchId: string;
  days: QueueDayFigures[];
}

/** Upper bounds (minutes) of the wait histogram's buckets; the last bucket is everything longer. */
export const WAIT_HISTOGRAM_MINUTES = [2, 5, 10, 20] as const;

/** GET /api/branches/:branchId/queue: the live queue of a branch, for its supervisors. */
export interface BranchQueueView {
  branchId: string;
  maxWaitMs: number;
  waiting: WaitingBoothView[];
  officers: OfficerLoadView[];
  today: {
    waits: DurationSummary;
    sessions: DurationSummary;
    /** Counts of today's waits per bucket of WAIT_HISTOGRAM_MINUTES, plus one for longer. */
    waitHistogram: number[];
  };
}
