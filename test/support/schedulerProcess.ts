/**
 * A separate OS process running the real Scheduler against a shared Redis, as a second server
 * process would; the concurrency test and the assignment benchmark drive it over IPC.
 *   node --import tsx test/support/schedulerProcess.ts <redis-url>
 * Each message `{ id, method, args }` calls that Scheduler method and is answered with
 * `{ id, events, ms }` (ms: how long the call took here) or `{ id, error }`.
 */
import { Redis } from 'ioredis';
import { Scheduler } from '../../server/src/scheduler/scheduler.js';

export type SchedulerMethod =
  | 'boothStart'
  | 'boothCancel'
  | 'boothAway'
  | 'boothBack'
  | 'officerOnline'
  | 'officerAway'
  | 'setWork'
  | 'setCapacity'
  | 'endSession'
  | 'expireDue'
  | 'reapProcess';

export interface SchedulerCall {
  id: number;
  method: SchedulerMethod;
  args: unknown[];
}

const redisUrl = process.argv[2];
if (!redisUrl || !process.send) throw new Error('Run me as a child process with IPC: schedulerProcess.ts <redis-url>');
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
// Grace periods end only when the driver calls expireDue, so it decides what "in time" means.
const scheduler = new Scheduler(redis, { graceMs: 0, wrapUpMs: 0, timeZone: 'Asia/Jakarta' });

process.on('message', (call: SchedulerCall) => {
  const started = performance.now();
  const method = scheduler[call.method].bind(scheduler) as (...args: unknown[]) => Promise<unknown>;
  method(...call.args).then(
    (events) => process.send!({ id: call.id, events, ms: performance.now() - started }),
    (error: unknown) => process.send!({ id: call.id, error: (error as Error).message }),
  );
});
process.on('disconnect', () => {
  redis.disconnect();
});
process.send({ ready: true });
