/**
 * Each branch's queue and sessions for the metrics, read from the scheduler's state in Redis:
 * a few commands per branch and per officer serving it, so a scrape stays cheap.
 */
import type { QueueFigures } from '../metrics.js';
import type { Scheduler } from './scheduler.js';

/** The figures of every queue booths ever waited in. */
export async function queueFigures(scheduler: Scheduler): Promise<QueueFigures[]> {
  const [queueIds, now] = await Promise.all([scheduler.queueIds(), scheduler.redisNow()]);
  return Promise.all(queueIds.map((queueId) => figuresOf(scheduler, queueId, now)));
}

async function figuresOf(scheduler: Scheduler, queueId: string, now: number): Promise<QueueFigures> {
  const [waiting, officers, served] = await Promise.all([
    scheduler.waiting(queueId),
    scheduler.officersServing(queueId),
    scheduler.servedToday(queueId),
  ]);
  // An officer may serve several queues: only the sessions of booths that waited in this one count here.
  const visits = await Promise.all(officers.flatMap((officer) => officer.boothIds).map((boothId) => scheduler.visitOf(boothId)));
  const oldestSince = Math.min(...waiting.map((visit) => visit.since));
  return {
    branchId: queueId,
    waiting: waiting.length,
    longestWaitSeconds: waiting.length === 0 ? 0 : Math.max(0, now - oldestSince) / 1000,
    sessionsInProgress: visits.filter((visit) => visit?.state === 'assigned' && visit.queueId === queueId).length,
    servedToday: served.count,
    averageWaitTodaySeconds: served.count === 0 ? 0 : served.totalWaitMs / served.count / 1000,
  };
}
