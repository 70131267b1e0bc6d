/**
 * A drifting wall clock for this test process: what a server process whose clock is off sees,
 * while Redis (another process) keeps the real time. Only `Date` moves; timers run as usual.
 */
import { jest } from '@jest/globals';

/** Runs `work` with this process's `Date` `offsetMs` away from the real time, then puts it back. */
export async function withProcessClockOff<T>(offsetMs: number, work: () => Promise<T>): Promise<T> {
  jest.useFakeTimers({
    now: Date.now() + offsetMs,
    advanceTimers: true,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
  try {
    return await work();
  } finally {
    jest.useRealTimers();
  }
}
