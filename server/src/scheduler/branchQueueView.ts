/**
 * The supervisor's view of one branch: who waits and for how long, how loaded each officer is,
 * and today's waits and session lengths.
 */
import { WAIT_HISTOGRAM_MINUTES, type BranchQueueView, type DurationSummary, type OfficerLoadView } from '@bilik/shared';
import type { Account } from '../accounts/accountStore.js';
import type { Scheduler } from './scheduler.js';

/** Builds the view of `branchId` whose officers are `officers` (their accounts). */
export async function branchQueueView(
  scheduler: Scheduler,
  branchId: string,
  officers: readonly Account[],
  maxWaitMs: number,
): Promise<BranchQueueView> {
  const [waiting, records, today, now] = await Promise.all([
    scheduler.waiting(branchId),
    Promise.all(officers.map((account) => scheduler.officer(account.id))),
    scheduler.today(branchId),
    scheduler.redisNow(),
  ]);
  const loads: OfficerLoadView[] = officers.map((account, index) => {
    const record = records[index] ?? null;
    return {
      accountId: account.id,
      displayName: account.displayName,
      state: record?.state ?? 'offline',
      capacity: record?.capacity ?? account.capacity,
      activeSessions: record?.boothIds.length ?? 0,
      boothIds: record?.boothIds ?? [],
    };
  });
  return {
    branchId,
    maxWaitMs,
    waiting: waiting.map((visit) => ({
      boothId: visit.boothId,
      service: visit.service,
      ticket: visit.ticket,
      priority: visit.priority,
      waitedMs: now - visit.since,
      overMaxWait: now - visit.since > maxWaitMs,
      away: visit.away,
    })),
    officers: loads,
    today: { waits: summarize(today.waits), sessions: summarize(today.sessions), waitHistogram: histogram(today.waits) },
  };
}

/** Count, median, 90th percentile (nearest rank) and maximum. */
export function summarize(durations: readonly number[]): DurationSummary {
  if (durations.length === 0) return { count: 0, medianMs: 0, p90Ms: 0, maxMs: 0 };
  const sorted = [...durations].sort((a, b) => a - b);
  const rank = (fraction: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
  return { count: sorted.length, medianMs: rank(0.5), p90Ms: rank(0.9), maxMs: sorted.at(-1) ?? 0 };
}

function histogram(waits: readonly number[]): number[] {
  const counts = new Array<number>(WAIT_HISTOGRAM_MINUTES.length + 1).fill(0);
  for (const wait of waits) {
    const bucket = WAIT_HISTOGRAM_MINUTES.findIndex((minutes) => wait < minutes * 60_000);
    counts[bucket === -1 ? WAIT_HISTOGRAM_MINUTES.length : bucket]! += 1;
  }
  return counts;
}
