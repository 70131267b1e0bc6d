/** A task run every few hundred milliseconds in each server process, which never overlaps itself. */

/**
 * Runs `task` every `intervalMs`, skipping a turn while the previous run is still under way (a
 * slow Redis must not pile up runs); `task` handles its own errors. Returns what stops it.
 */
export function repeatWithoutOverlap(intervalMs: number, task: () => Promise<void>): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void task().finally(() => (running = false));
  }, intervalMs);
  return () => clearInterval(timer);
}
