/**
 * The contract of a liveness challenge: a random task the server sets the claimant at the
 * officer's request (read four digits aloud, or make a head or face gesture), so the officer can
 * tell a live person from a photo or a recording. Kept apart from the zod schemas so that the
 * browser apps can import it without bundling zod.
 */

/** The gestures a challenge may ask for; the kiosk words each in plain language. */
export const LIVENESS_GESTURES = ['turn_left', 'turn_right', 'look_up', 'blink_twice'] as const;
export type LivenessGesture = (typeof LIVENESS_GESTURES)[number];

/** How many digits a "read aloud" challenge has. */
export const LIVENESS_DIGIT_COUNT = 4;

/** What the claimant is asked to do. */
export type LivenessTask = { kind: 'digits'; digits: string } | { kind: 'gesture'; gesture: LivenessGesture };

/** One challenge the server issued during a visit, as the booth shows it. */
export interface LivenessChallenge {
  challengeId: string;
  /** When the server issued it (ms since epoch, Redis's clock). */
  issuedAt: number;
  task: LivenessTask;
}

/** The officer's judgement of how the claimant met a challenge. */
export const LIVENESS_VERDICTS = ['passed', 'failed'] as const;
export type LivenessVerdict = (typeof LIVENESS_VERDICTS)[number];

/**
 * A challenge as the visit's outcome records it: with the officer's verdict, or null when the
 * officer closed it without one, set another over it, or ended the visit while it showed.
 */
export interface RecordedLivenessChallenge extends LivenessChallenge {
  verdict: LivenessVerdict | null;
}
