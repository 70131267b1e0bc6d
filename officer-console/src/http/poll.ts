/**
 * Asks the server again and again at a steady pace, one request at a time, so that a slow server
 * is never sent a pile of requests. A restart asks at once and discards the answer of a request
 * still under way, so that an answer for what is no longer shown (another branch, a capacity
 * before its change) never lands.
 */

/** A running poll. */
export interface Poll {
  /** Asks now, forgetting the request under way, then goes on at the usual pace. */
  restart(): void;
  /** Asks no more; an answer under way is discarded. */
  stop(): void;
}

/** What to do with each answer. */
export interface PollHandlers<T> {
  onData(data: T): void;
  onError(error: unknown): void;
}

/** Calls `load` now and then `intervalMs` after each answer. */
export function startPolling<T>(intervalMs: number, load: () => Promise<T>, handlers: PollHandlers<T>): Poll {
  // Bumped by every request, restart and stop: only the answer of the latest request counts.
  let epoch = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const ask = (): void => {
    const mine = ++epoch;
    load()
      .then(
        (data) => mine === epoch && handlers.onData(data),
        (error: unknown) => mine === epoch && handlers.onError(error),
      )
      .finally(() => {
        if (mine === epoch) timer = setTimeout(ask, intervalMs);
      });
  };

  ask();
  return {
    restart() {
      clearTimeout(timer);
      ask();
    },
    stop() {
      clearTimeout(timer);
      epoch++;
    },
  };
}
