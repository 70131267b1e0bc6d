/** Number formats both pages share; the words around them live in each page's strings. */

/** Formats a duration as mm:ss; minutes keep counting past an hour. */
export function formatClock(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${String(minutes).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}
