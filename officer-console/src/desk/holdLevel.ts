/**
 * How long a claimant has waited for the officer's word, as the tile's hold timer colours it, so
 * the officer of six booths sees at a glance whom to turn to next.
 */

/**
 * Past a minute without a word a claimant alone in a booth starts to wonder whether they were
 * forgotten (contact centres check in on a held caller every 30 to 60 s): amber.
 */
export const HOLD_AMBER_MS = 60_000;
/** Past two minutes held callers give up in numbers (contact centres' abandonment curves): red, say something now. */
export const HOLD_RED_MS = 120_000;

/** The hold timer's colour: calm, amber, red. */
export type HoldLevel = 'calm' | 'amber' | 'red';

/** The level of a claimant who has waited `waitedMs` since the officer last talked to them. */
export function holdLevel(waitedMs: number): HoldLevel {
  if (waitedMs >= HOLD_RED_MS) return 'red';
  if (waitedMs >= HOLD_AMBER_MS) return 'amber';
  return 'calm';
}
