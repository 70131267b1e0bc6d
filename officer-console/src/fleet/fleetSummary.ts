/** The fleet page's summary line: how many booths need IT (faulty, offline) and how many serve now. */
import type { BoothStatus } from '@bilik/shared/fleet';

export interface FleetSummary {
  total: number;
  fault: number;
  offline: number;
  /** Serving a claimant now. */
  inSession: number;
  /** Taken out of service by branch IT. */
  outOfService: number;
}

/** Counts the booths of the summary line by their status. */
export function summarizeFleet(booths: readonly { status: BoothStatus }[]): FleetSummary {
  const count = (status: BoothStatus): number => booths.filter((booth) => booth.status === status).length;
  return {
    total: booths.length,
    fault: count('fault'),
    offline: count('offline'),
    inSession: count('in_session'),
    outOfService: count('out_of_service'),
  };
}
