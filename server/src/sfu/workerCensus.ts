/**
 * The SFU's load per mediasoup worker, for the metrics: desks, participants and consumers
 * counted from the live desks, and each worker's CPU time as its process reports it.
 */
import type { types as ms } from 'mediasoup';
import type { WorkerCensus } from '../metrics.js';
import type { DeskCensus } from './desk.js';
import type { DeskRegistry } from './deskRegistry.js';
import type { WorkerPool } from './workerPool.js';

/** Every slot of the pool with what runs on its worker now. */
export async function workerCensus(pool: WorkerPool, desks: DeskRegistry): Promise<WorkerCensus[]> {
  const slots = pool.slots;
  const cpuSeconds = await Promise.all(slots.map(workerCpuSeconds));
  return tallyByWorker(slots, desks.census(), cpuSeconds);
}

/**
 * Adds up the desks' census per worker slot; every slot is listed, at zero when it carries no
 * desk. A desk on a worker no longer in any slot (it died meanwhile) is left out.
 */
export function tallyByWorker(
  slots: readonly ms.Worker[],
  desks: readonly DeskCensus[],
  cpuSeconds: ReadonlyArray<number | null>,
): WorkerCensus[] {
  const census = slots.map((_worker, slot): WorkerCensus => ({
    slot,
    desks: 0,
    participants: { officer: 0, booth: 0, monitor: 0 },
    consumers: { audio: 0, video: 0 },
    cpuSeconds: cpuSeconds[slot] ?? null,
  }));
  for (const desk of desks) {
    const entry = census[slots.indexOf(desk.worker)];
    if (entry === undefined) continue;
    entry.desks += 1;
    entry.participants.officer += desk.participants.officer;
    entry.participants.booth += desk.participants.booth;
    entry.participants.monitor += desk.participants.monitor;
    entry.consumers.audio += desk.consumers.audio;
    entry.consumers.video += desk.consumers.video;
  }
  return census;
}

/** The worker's user and system CPU time in seconds; null when it is dead or does not answer. */
async function workerCpuSeconds(worker: ms.Worker): Promise<number | null> {
  if (worker.died || worker.closed) return null;
  try {
    const usage = await worker.getResourceUsage();
    // mediasoup reports both in milliseconds.
    return (usage.ru_utime + usage.ru_stime) / 1000;
  } catch {
    return null;
  }
}
