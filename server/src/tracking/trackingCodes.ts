/**
 * Claim tracking codes: what a claimant takes home to look up their claim's status. A code is
 * derived from the visit id with a keyed hash (HMAC-SHA256 under a secret kept in the database),
 * so every server and worker process computes the same code for a visit without storing it first,
 * and nobody without the secret can produce a valid code from a visit id or guess one.
 *
 * 10 characters from the enrolment alphabet (no look-alikes): 25^10, about 2^46 codes, and the
 * public lookup is rate-limited.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Database } from '../db/database.js';
import { ENROLMENT_ALPHABET } from '../fleet/enrolment.js';

export const TRACKING_CODE_LENGTH = 10;
const SECRET_NAME = 'tracking_code_key';

export class TrackingCodes {
  private constructor(private readonly key: Buffer) {}

  /** Loads the shared key, creating it on first use; concurrent first uses agree on one key. */
  static async load(db: Database): Promise<TrackingCodes> {
    await db.query('insert into server_secrets (name, value) values ($1, $2) on conflict (name) do nothing', [
      SECRET_NAME,
      randomBytes(32).toString('hex'),
    ]);
    const rows = await db.query<{ value: string }>('select value from server_secrets where name = $1', [SECRET_NAME]);
    return new TrackingCodes(Buffer.from(rows[0]!.value, 'hex'));
  }

  /** The visit's tracking code, upper case without a dash (as stored and looked up). */
  codeFor(visitId: string): string {
    const digest = createHmac('sha256', this.key).update(visitId).digest();
    let code = '';
    // One byte per character: 256 mod 25 skews the first 6 letters by 1/256, which costs well under a bit.
    for (let index = 0; index < TRACKING_CODE_LENGTH; index += 1) code += ENROLMENT_ALPHABET[digest[index]! % ENROLMENT_ALPHABET.length];
    return code;
  }
}

// The booth and the console format codes too, so the format lives in the shared contract.
export { formatTrackingCode } from '@bilik/shared';

/**
 * What a person typed, normalised for lookup (upper case, without dashes and spaces), or null
 * when it cannot be a code.
 */
export function normaliseTrackingCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== TRACKING_CODE_LENGTH) return null;
  return [...code].every((character) => ENROLMENT_ALPHABET.includes(character)) ? code : null;
}
