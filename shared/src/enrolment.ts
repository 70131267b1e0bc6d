/**
 * The contract of the kiosk's enrolment, POST /api/enrol, apart from the zod schemas so that
 * the booth can import it without bundling zod.
 */
import type { ErrorCode } from './errors.js';

/** Why a code did not enrol the kiosk; the kiosk explains each in its own words. */
export const ENROLMENT_REFUSALS = ['malformed', 'unknown', 'wrong', 'expired', 'used', 'void'] as const;

export type EnrolmentRefusal = (typeof ENROLMENT_REFUSALS)[number];

/** The answer to POST /api/enrol `{ code }`; `reason` for a refused code, `attemptsLeft` only for a wrong secret. */
export type EnrolAnswer =
  | { ok: true; data: { boothId: string; name: string; credential: string } }
  | { ok: false; error: ErrorCode; message: string; reason?: EnrolmentRefusal; attemptsLeft?: number | null };
