/**
 * The supervisor's alarm that claimants wait while nobody will take them: every officer of the
 * branch is away, on a break or not ready yet. Officers in wrap-up count as ready: they take
 * booths again by themselves within moments.
 */
import type { BranchQueueView, WorkState } from '@bilik/shared/journey';

/** Who keeps a waiting queue from being served. */
export interface Unstaffed {
  waiting: number;
  /** On a break or not ready. */
  paused: number;
  /** Signed out, or their console's connection is lost. */
  offline: number;
}

/** States in which an officer takes booths now or shortly. */
const READY_STATES: readonly WorkState[] = ['available', 'wrap_up'];

/** Who keeps the queue waiting, when claimants wait and no officer is ready; null otherwise. */
export function unstaffedQueue(queue: Pick<BranchQueueView, 'waiting' | 'officers'>): Unstaffed | null {
  if (queue.waiting.length === 0) return null;
  if (queue.officers.some((officer) => READY_STATES.includes(officer.state))) return null;
  return {
    waiting: queue.waiting.length,
    paused: queue.officers.filter((officer) => officer.state === 'paused').length,
    offline: queue.officers.filter((officer) => officer.state === 'offline').length,
  };
}
