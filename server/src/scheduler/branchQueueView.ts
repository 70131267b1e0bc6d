/**
 * The supervisor's view of one branch: who waits and for how long (claimants handed to an
 * officer and waiting for their next free seat first), how loaded each officer is,
 * and today's waits and session lengths.
 */
import { WAIT_HISTOGRAM_MINUTES, type BranchQueueView, type DurationSummary, type OfficerLoadView } from '@bilik/shared';
import type { Account } from '../accounts/accountStore.js';
import { waitedMs } from '../sfu/deskRoster.js';
import type { Scheduler } from './scheduler.js';

/**
 * Builds the view of `branchId` whose officers are `officers` (their accounts); `waitingSince`
 * reads an officer's desk as last stored (DeskSeatStore), for how long each claimant in session
 * has waited for the officer's word.
 */
export async function branchQueueView(
  scheduler: Scheduler,
  branchId: string,
  officers: readonly Account[],
  maxWaitMs: number,
  waitingSince: (officerId: string) => Promise<ReadonlyMap<string, number | null>>,
): Promise<BranchQueueView> {
  const [handed, queued, records, desks, today, now] = await Promise.all([
    Promise.all(officers.map((account) => scheduler.handedTo(account.id))),
    scheduler.waiting(branchId),
    Promise.all(officers.map((account) => scheduler.officer(account.id))),
    Promise.all(officers.map((account) => waitingSince(account.id))),
    scheduler.today(branchId),
    scheduler.redisNow(),
  ]);
  // Claimants handed to an officer go before the queue, and wait as long as anyone in it.
  const waiting = [...handed.flat().filter((visit) => visit.queueId === branchId), ...queued];
  // The desk counts holds on its own process's clock, so they are read against that clock, not Redis's.
  const deskNow = Date.now();
  const loads: OfficerLoadView[] = officers.map((account, index) => {
    const record = records[index] ?? null;
    const desk = desks[index] ?? new Map<string, number | null>();
    return {
      accountId: account.id,
      displayName: account.displayName,
      role: account.role === 'supervisor' ? 'supervisor' : 'officer',
      state: record?.state ?? 'offline',
      capacity: record?.capacity ?? account.capacity,
      activeSessions: record?.boothIds.length ?? 0,
      boothIds: record?.boothIds ?? [],
      // Only booths the desk has seated: one whose media link never arrived has no hold to tell.
      holds: (record?.boothIds ?? [])
        .filter((boothId) => desk.has(boothId))
        .map((boothId) => ({ boothId, waitingMs: waitedMs(desk.get(boothId) ?? null, deskNow) })),
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
