/**
 * The session scheduler: queues walk-in booths per branch and assigns them to officers within
 * their capacity. Every change is one Lua script (scripts.ts), so several server processes can
 * share one Redis; reads are plain commands and may see a moment-old state. Every time, and the
 * day the statistics fall on, comes from Redis's clock, the one all processes share.
 */
import { randomUUID } from 'node:crypto';
import type { BreakReason, JourneyState, PauseReason, Service, SessionView, TransferView, WorkState, WorkView } from '@bilik/shared';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { InvalidStateError } from '../errors.js';
import { redisNow } from '../redis/redisClock.js';
import { schedulerKeys as K, SchedulerScripts, type SchedulerScriptName, type ScriptKeys } from './scripts.js';

/** Why a booth's visit ended. */
export type ReleaseReason = 'ended' | 'cancelled' | 'timeout';

/** What a change did, for the caller to announce to clients and desks. */
export type SchedulerEvent =
  | { type: 'assigned'; boothId: string; officerId: string; queueId: string }
  /**
   * The visit is over; `visitId` names it (the booth's tracking code derives from it). `served`
   * when it was at an officer's desk: whose, its service, and since when (ms, Redis's clock).
   */
  | {
      type: 'released';
      boothId: string;
      visitId: string;
      officerId?: string;
      queueId: string;
      reason: ReleaseReason;
      served?: { officerId: string; service: Service; assignedAt: number };
    }
  /**
   * The booth's officer handed its claimant over (transfer): its seat at that officer's desk is
   * free; the visit is seated at the receiving desk ('assigned' in the same change) or waits.
   */
  | { type: 'transferred'; boothId: string; visitId: string; fromOfficerId: string; queueId: string }
  /** The booth's officer was lost for good; the booth waits again with its original wait. */
  | { type: 'requeued'; boothId: string; officerId: string; queueId: string }
  /** The order, size or staffing of a queue changed: its waiting booths' places may have moved. */
  | { type: 'queue'; queueId: string }
  /** Something only this booth shows changed (its officer went away or came back). */
  | { type: 'booth'; boothId: string }
  /** The officer's work view changed (state, capacity, sessions). */
  | { type: 'work'; officerId: string }
  /** The officer's wrap-up timer ran out (not ended by the officer). */
  | { type: 'wrapUpEnded'; officerId: string }
  /** A dead server process's `connections` went away as if their sockets had closed. */
  | { type: 'reaped'; processId: string; connections: number };

export interface SchedulerOptions {
  /** How long a booth or officer whose connection dropped keeps its place or sessions. */
  graceMs: number;
  /** How long an officer stays in wrap-up after ending a session; 0 turns wrap-up off. */
  wrapUpMs: number;
  /** The IANA time zone whose calendar day "today" means in the statistics. */
  timeZone: string;
}

/** A booth's visit as stored, or null when the booth is idle. */
export interface Visit {
  boothId: string;
  visitId: string;
  state: 'waiting' | 'assigned';
  queueId: string;
  service: Service;
  ticket: string | null;
  priority: boolean;
  /** When the claimant started waiting (ms since epoch, Redis's clock). */
  since: number;
  officerId: string | null;
  assignedAt: number | null;
  away: boolean;
  /** The last hand-over's JSON (see transfer), kept until the visit ends; null for a visit never handed over. */
  handover: string | null;
  /** Handed over and not seated again yet: the booth is moving between desks. */
  moving: boolean;
}

/** A visit being served: assigned to an officer, since a known time. */
export type AssignedVisit = Visit & { state: 'assigned'; officerId: string; assignedAt: number };

/** An officer as the scheduler knows them. */
export interface OfficerRecord {
  officerId: string;
  state: WorkState;
  capacity: number;
  queueIds: string[];
  away: boolean;
  boothIds: string[];
}

/** Today's waits and session lengths of one queue (ms). */
export interface QueueDay {
  waits: number[];
  sessions: number[];
}

const EXPIRE_BATCH = 100;
/** Used for wait estimates until a queue has a session of its own today. */
const DEFAULT_SESSION_MS = 10 * 60_000;

export class Scheduler {
  private readonly scripts: SchedulerScripts;
  private readonly dayFormat: Intl.DateTimeFormat;
  private readonly offsetFormat: Intl.DateTimeFormat;

  constructor(
    private readonly redis: Redis,
    readonly options: SchedulerOptions,
  ) {
    this.scripts = new SchedulerScripts(redis);
    this.dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: options.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    this.offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: options.timeZone, timeZoneName: 'longOffset' });
  }

  /** The claimant chose a service; `connectionId` names the booth's current socket. */
  boothStart(
    boothId: string,
    request: { queueId: string; service: Service; ticket: string | null; priority: boolean },
    connectionId: string,
  ): Promise<SchedulerEvent[]> {
    const { queueId, service, ticket, priority } = request;
    return this.run('schedulerStart', { visit: K.visit(boothId), queue: K.queue(queueId), queues: K.queues }, [
      boothId,
      queueId,
      service,
      ticket ?? '',
      priority ? '1' : '0',
      randomUUID(),
      connectionId,
    ]);
  }

  /** The claimant left the queue; a booth already assigned is not affected. */
  boothCancel(boothId: string): Promise<SchedulerEvent[]> {
    return this.run('schedulerCancel', { visit: K.visit(boothId), deadlines: K.deadlines }, [boothId]);
  }

  /** The booth's socket `connectionId` closed; it keeps its visit for the grace period. */
  boothAway(boothId: string, connectionId: string): Promise<SchedulerEvent[]> {
    return this.run('schedulerBoothAway', { visit: K.visit(boothId), deadlines: K.deadlines }, [
      boothId,
      connectionId,
      String(this.options.graceMs),
    ]);
  }

  /** The booth connected as `connectionId`; a visit within its grace period resumes. */
  boothBack(boothId: string, connectionId: string): Promise<SchedulerEvent[]> {
    return this.run('schedulerBoothBack', { visit: K.visit(boothId), deadlines: K.deadlines }, [boothId, connectionId]);
  }

  /**
   * The officer's console connected as `connectionId`: serving `queueIds` with this capacity. One
   * coming on duty (not back within the grace period) keeps a break they were on, else starts
   * `start`: available, or not ready until they say so.
   */
  officerOnline(
    officerId: string,
    capacity: number,
    queueIds: readonly string[],
    connectionId: string,
    start: 'available' | 'not_ready' = 'available',
  ): Promise<SchedulerEvent[]> {
    return this.run('schedulerOfficerOnline', { officer: K.officer(officerId), deadlines: K.deadlines, queues: K.queues }, [
      officerId,
      String(capacity),
      queueIds.join(' '),
      connectionId,
      start,
    ]);
  }

  /** The officer's socket `connectionId` closed; their sessions wait for the grace period. */
  officerAway(officerId: string, connectionId: string): Promise<SchedulerEvent[]> {
    return this.run('schedulerOfficerAway', { officer: K.officer(officerId), deadlines: K.deadlines }, [
      officerId,
      connectionId,
      String(this.options.graceMs),
    ]);
  }

  /** The officer takes booths again or pauses for a break (`reason`, ignored when available); refused while they are offline. */
  setWork(officerId: string, state: 'available' | 'paused', reason: BreakReason = 'istirahat'): Promise<SchedulerEvent[]> {
    return this.run('schedulerSetWork', { officer: K.officer(officerId), deadlines: K.deadlines }, [officerId, state, reason]);
  }

  /** A supervisor changed an officer's capacity; applies at once if the officer is known. */
  setCapacity(officerId: string, capacity: number): Promise<SchedulerEvent[]> {
    return this.run('schedulerSetCapacity', { officer: K.officer(officerId) }, [officerId, String(capacity)]);
  }

  /** The officer ended the session of one of their booths. */
  endSession(officerId: string, boothId: string): Promise<SchedulerEvent[]> {
    return this.run('schedulerEndSession', { visit: K.visit(boothId), officer: K.officer(officerId), deadlines: K.deadlines }, [
      officerId,
      boothId,
      String(this.options.wrapUpMs),
    ]);
  }

  /**
   * The officer hands the claimant at their booth to officer `toOfficerId` (null: back to the front
   * of the visit's queue, for anyone but them), with `handover` (JSON) for the receiving console.
   * Refused unless the booth is in session with the officer and the receiver serves the queue now.
   */
  transfer(officerId: string, boothId: string, toOfficerId: string | null, handover: string): Promise<SchedulerEvent[]> {
    return this.run('schedulerTransfer', { visit: K.visit(boothId), officer: K.officer(officerId), deadlines: K.deadlines }, [
      officerId,
      boothId,
      toOfficerId ?? '',
      handover,
    ]);
  }

  /** Ends the grace periods and wrap-ups that are due. Any process may call it; each end happens once. */
  expireDue(): Promise<SchedulerEvent[]> {
    return this.run('schedulerExpire', { deadlines: K.deadlines }, [String(EXPIRE_BATCH)]);
  }

  /**
   * If server process `processId`'s lease has run out, every connection it held goes away as if
   * its socket had closed (the grace periods follow). Any process may call it; a process is reaped once.
   */
  reapProcess(processId: string): Promise<SchedulerEvent[]> {
    return this.run(
      'schedulerReap',
      { lease: K.lease(processId), held: K.held(processId), processes: K.processes, deadlines: K.deadlines },
      [processId, String(this.options.graceMs)],
    );
  }

  /** A booth's current visit, or null when it is idle. */
  async visitOf(boothId: string): Promise<Visit | null> {
    return parseVisit(boothId, await this.redis.hgetall(K.visit(boothId)));
  }

  /** The officer a booth is assigned to, or null. */
  async officerOfBooth(boothId: string): Promise<string | null> {
    const visit = await this.visitOf(boothId);
    return visit?.state === 'assigned' ? visit.officerId : null;
  }

  /** The booth's visit when it is at this officer's desk (assigned to them), else null. */
  async visitAtDesk(boothId: string, officerId: string): Promise<AssignedVisit | null> {
    const visit = await this.visitOf(boothId);
    if (visit?.state !== 'assigned' || visit.officerId !== officerId || visit.assignedAt === null) return null;
    return visit as AssignedVisit;
  }

  /** What the booth should show now. */
  async journeyOf(boothId: string): Promise<JourneyState> {
    const visit = await this.visitOf(boothId);
    if (visit === null) return { state: 'idle' };
    if (visit.moving) return { state: 'transferring', service: visit.service };
    if (visit.state === 'assigned') {
      const officerAway = (await this.redis.hexists(K.officer(visit.officerId ?? ''), 'away')) === 1;
      return { state: 'assigned', service: visit.service, officerAway };
    }
    const [rank, outlook] = await Promise.all([this.redis.zrank(K.queue(visit.queueId), boothId), this.queueOutlook(visit.queueId)]);
    return waitingJourney(visit, (rank ?? 0) + 1, outlook);
  }

  /** What every waiting booth of a queue should show, computed once for the whole queue. */
  async waitingJourneys(queueId: string): Promise<Map<string, JourneyState>> {
    const [visits, outlook] = await Promise.all([this.waiting(queueId), this.queueOutlook(queueId)]);
    return new Map(
      visits.map((visit, index) => [
        visit.boothId,
        visit.moving ? { state: 'transferring', service: visit.service } : waitingJourney(visit, index + 1, outlook),
      ]),
    );
  }

  /** Who serves a queue now and how long its sessions last: the basis of wait estimates. */
  private async queueOutlook(queueId: string): Promise<QueueOutlook> {
    const [officers, sessionMs] = await Promise.all([this.officersServing(queueId), this.averageSessionMs(queueId)]);
    // Only officers who take booths count: a wait computed from an officer on a break is a promise nobody keeps.
    const slots = officers
      .filter((officer) => !officer.away && TAKING_BOOTHS.has(officer.state))
      .reduce((sum, officer) => sum + officer.capacity, 0);
    return { officersOnDuty: officers.length, slots, sessionMs };
  }

  /** The officer's state and sessions, or null if the scheduler never saw them. */
  async officer(officerId: string): Promise<OfficerRecord | null> {
    const [fields, boothIds] = await Promise.all([
      this.redis.hgetall(K.officer(officerId)),
      this.redis.smembers(K.officerBooths(officerId)),
    ]);
    if (fields.state === undefined) return null;
    return {
      officerId,
      state: fields.state as WorkState,
      capacity: Number(fields.capacity),
      queueIds: (fields.queues ?? '').split(' ').filter((id) => id !== ''),
      away: fields.away !== undefined,
      boothIds: boothIds.sort(),
    };
  }

  /** What the officer's console shows of their work, or null if the scheduler never saw them. */
  async workOf(officerId: string): Promise<WorkView | null> {
    const [record, wrapUpEnd, now, [pauseReason, pausedAt]] = await Promise.all([
      this.officer(officerId),
      this.redis.zscore(K.deadlines, `w:${officerId}`),
      this.redisNow(),
      this.redis.hmget(K.officer(officerId), 'pause', 'pausedAt'),
    ]);
    if (record === null) return null;
    const waiting = await Promise.all(record.queueIds.map((queueId) => this.redis.zcard(K.queue(queueId))));
    const visits = await Promise.all(record.boothIds.map((boothId) => this.visitOf(boothId)));
    const sessions: SessionView[] = visits
      .filter((visit): visit is Visit => visit !== null && visit.assignedAt !== null)
      .sort((a, b) => (a.assignedAt ?? 0) - (b.assignedAt ?? 0))
      .map((visit) => ({
        boothId: visit.boothId,
        visitId: visit.visitId,
        // A branch's queue is named by the branch's id.
        branchId: visit.queueId,
        service: visit.service,
        ticket: visit.ticket,
        priority: visit.priority,
        waitedMs: (visit.assignedAt ?? now) - visit.since,
        assignedForMs: now - (visit.assignedAt ?? now),
        boothAway: visit.away,
        transfer: transferViewOf(visit.handover),
      }));
    const wrapUpEndsInMs = record.state === 'wrap_up' && wrapUpEnd !== null ? Math.max(0, Number(wrapUpEnd) - now) : null;
    // A pause from before breaks had reasons counts as a plain rest.
    const pause =
      record.state === 'paused'
        ? { reason: (pauseReason ?? 'istirahat') as PauseReason, forMs: pausedAt ? Math.max(0, now - Number(pausedAt)) : 0 }
        : null;
    return {
      state: record.state,
      capacity: record.capacity,
      wrapUpEndsInMs,
      pause,
      waitingClaimants: waiting.reduce((sum, count) => sum + count, 0),
      sessions,
    };
  }

  /** The queue's waiting booths, next to be served first. */
  async waiting(queueId: string): Promise<Visit[]> {
    const boothIds = await this.redis.zrange(K.queue(queueId), 0, -1);
    const visits = await Promise.all(boothIds.map((boothId) => this.visitOf(boothId)));
    return visits.filter((visit): visit is Visit => visit !== null);
  }

  /** The booths handed to an officer (transfer) that wait for their next free seat, earliest first. */
  async handedTo(officerId: string): Promise<Visit[]> {
    const boothIds = await this.redis.zrange(K.handedTo(officerId), 0, -1);
    const visits = await Promise.all(boothIds.map((boothId) => this.visitOf(boothId)));
    return visits.filter((visit): visit is Visit => visit !== null);
  }

  /** The officers signed in to serve a queue. */
  async officersServing(queueId: string): Promise<OfficerRecord[]> {
    const officerIds = await this.redis.smembers(K.queueOfficers(queueId));
    const records = await Promise.all(officerIds.sort().map((officerId) => this.officer(officerId)));
    return records.filter((record): record is OfficerRecord => record !== null);
  }

  /** Today's waits and session lengths of a queue. */
  async today(queueId: string): Promise<QueueDay> {
    return this.day(queueId, await this.currentDay());
  }

  /** One day's (YYYY-MM-DD) waits and session lengths of a queue, empty once Redis no longer keeps it (see keptDays). */
  async day(queueId: string, day: string): Promise<QueueDay> {
    const [waits, sessions] = await Promise.all([
      this.redis.lrange(K.statistics('sw', queueId, day), 0, -1),
      this.redis.lrange(K.statistics('ss', queueId, day), 0, -1),
    ]);
    return { waits: waits.map(Number), sessions: sessions.map(Number) };
  }

  /**
   * The days (YYYY-MM-DD, oldest first) whose statistics Redis still keeps: today and the two
   * before (STATS_TTL_SECONDS in lua/prelude.lua keeps each day's for three days after its last entry).
   */
  async keptDays(): Promise<string[]> {
    const now = await this.redisNow();
    return [...new Set([2, 1, 0].map((daysBack) => this.dayFormat.format(new Date(now - daysBack * 86_400_000))))];
  }

  /** Every queue (branch) booths ever waited in. */
  async queueIds(): Promise<string[]> {
    return (await this.redis.smembers(K.queues)).sort();
  }

  /** How many claimants of a queue were served today and their total wait (ms), from the day's running totals. */
  async servedToday(queueId: string): Promise<{ count: number; totalWaitMs: number }> {
    const [count, totalWaitMs] = await this.redis.hmget(K.statistics('st', queueId, await this.currentDay()), 'swCount', 'swTotalMs');
    return { count: Number(count ?? 0), totalWaitMs: Number(totalWaitMs ?? 0) };
  }

  /** Milliseconds since the epoch by Redis's clock, the one the scripts use. */
  async redisNow(): Promise<number> {
    return redisNow(this.redis);
  }

  private async averageSessionMs(queueId: string): Promise<number> {
    const totals = await this.redis.hmget(K.statistics('st', queueId, await this.currentDay()), 'ssCount', 'ssTotalMs');
    const count = Number(totals[0] ?? 0);
    return count > 0 ? Number(totals[1]) / count : DEFAULT_SESSION_MS;
  }

  /** Today's date (YYYY-MM-DD) in the statistics' time zone, by Redis's clock as the scripts reckon it. */
  private async currentDay(): Promise<string> {
    return this.dayFormat.format(new Date(await this.redisNow()));
  }

  /**
   * The time zone's offset from UTC now, which the scripts add to Redis's clock to find the day.
   * This process's clock only picks the offset, which changes at daylight-saving transitions alone.
   */
  private utcOffsetMs(): number {
    const name = this.offsetFormat.formatToParts(new Date()).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
    const [, sign, hours, minutes] = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name) ?? [];
    if (sign === undefined) return 0;
    return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000;
  }

  private async run<N extends SchedulerScriptName>(name: N, keys: ScriptKeys<N>, args: readonly string[]): Promise<SchedulerEvent[]> {
    const answer = JSON.parse(await this.scripts.run(name, keys, [String(this.utcOffsetMs()), ...args])) as unknown;
    if (Array.isArray(answer)) return answer as SchedulerEvent[];
    if (answer !== null && typeof answer === 'object' && 'refused' in answer) {
      throw new InvalidStateError(REFUSALS[String(answer.refused)] ?? 'The scheduler refused this change');
    }
    // Lua's cjson writes an empty list as an empty object.
    return [];
  }
}

/** The work states of an officer who takes new booths now or, after wrap-up, by themselves. */
const TAKING_BOOTHS: ReadonlySet<WorkState> = new Set(['available', 'wrap_up']);

interface QueueOutlook {
  officersOnDuty: number;
  /** Sessions the connected officers of the queue can hold at once. */
  slots: number;
  sessionMs: number;
}

/** A waiting booth's screen: its place, and a wait estimated from whole rounds of sessions ahead of it. */
function waitingJourney(visit: Visit, place: number, outlook: QueueOutlook): JourneyState {
  const estimatedWaitMinutes =
    outlook.slots > 0 ? Math.max(1, Math.round((Math.ceil(place / outlook.slots) * outlook.sessionMs) / 60_000)) : null;
  return {
    state: 'waiting',
    service: visit.service,
    priority: visit.priority,
    place,
    officersOnDuty: outlook.officersOnDuty,
    estimatedWaitMinutes,
  };
}

const REFUSALS: Record<string, string> = {
  not_assigned: 'That booth is not in session with you',
  transfer_to_self: 'Choose another officer to hand the claimant to',
  target_off_duty: 'That officer is not signed in to serve this branch now',
  no_other_officer: 'No other officer serves this branch now: nobody would take the claimant from the queue',
  offline: 'You are not signed in to the queue; reload the console',
};

function parseVisit(boothId: string, fields: Record<string, string>): Visit | null {
  if (fields.state !== 'waiting' && fields.state !== 'assigned') return null;
  return {
    boothId,
    visitId: fields.visit ?? '',
    state: fields.state,
    queueId: fields.queue ?? '',
    service: fields.service as Service,
    ticket: fields.ticket ? fields.ticket : null,
    priority: fields.priority === '1',
    since: Number(fields.since),
    officerId: fields.officer ?? null,
    assignedAt: fields.assignedAt !== undefined ? Number(fields.assignedAt) : null,
    away: fields.away !== undefined,
    handover: fields.transfer ?? null,
    moving: fields.state === 'waiting' && fields.transferredAt !== undefined,
  };
}

/**
 * The hand-over as the receiving console shows it. The scripts store it whole and never read it;
 * a value that does not parse (written by another version) shows as no hand-over.
 */
function transferViewOf(handover: string | null): TransferView | null {
  if (handover === null) return null;
  const parsed = transferViewSchema.safeParse(JSON.parse(handover));
  return parsed.success ? parsed.data : null;
}

const transferViewSchema = z.strictObject({
  fromOfficerId: z.string(),
  fromName: z.string().nullable(),
  note: z.string(),
  at: z.string(),
  documents: z.array(z.strictObject({ documentId: z.string(), width: z.number(), height: z.number(), bytes: z.number() })),
}) satisfies z.ZodType<TransferView>;
