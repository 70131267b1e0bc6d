/**
 * Enrolling a booth kiosk with a one-time code that branch IT reads off the IT page or the
 * command line and types on the kiosk once. The code is at least 8 characters from an alphabet
 * without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B), valid for an hour, void after its fifth
 * wrong attempt or its first use, and replaced by any newer code for the same booth.
 */
import { randomInt } from 'node:crypto';
import type { EnrolmentRefusal } from '@bilik/shared/enrolment';
import { recordAudit, type AuditActor } from '../audit/auditLog.js';
import { FOREIGN_KEY_VIOLATION, isViolation, UNIQUE_VIOLATION, type Database } from '../db/database.js';
import { AppError, NotFoundError } from '../errors.js';
import { matchesSha256, sha256Hex } from '../hashing.js';
import type { Logger } from '../logger.js';
import { issueCredentialWithin, voidOpenEnrolmentCodes } from './boothStore.js';

/** The characters of a code: upper case, none that could be misread as another. */
export const ENROLMENT_ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';
const LOOKUP_LENGTH = 4;
const SECRET_LENGTH = 8;

export interface EnrolmentPolicy {
  validityMs: number;
  maxWrongAttempts: number;
}

export const DEFAULT_ENROLMENT_POLICY: EnrolmentPolicy = { validityMs: 60 * 60_000, maxWrongAttempts: 5 };

/** A code that did not enrol the kiosk; `attemptsLeft` only for a wrong secret. */
export class EnrolmentRefusedError extends AppError {
  constructor(
    readonly reason: EnrolmentRefusal,
    message: string,
    readonly attemptsLeft: number | null = null,
  ) {
    super('FORBIDDEN', message);
  }
}

/** A booth that has just been enrolled, with the credential the kiosk must keep. */
export interface Enrolled {
  boothId: string;
  branchId: string;
  name: string;
  credential: string;
}

interface CodeRow {
  lookup: string;
  booth_id: string;
  secret_hash: string;
  expires_at: Date;
  wrong_attempts: number;
  used_at: Date | null;
  voided_at: Date | null;
}

export class EnrolmentService {
  private readonly log: Logger;

  constructor(
    private readonly db: Database,
    logger: Logger,
    private readonly policy: EnrolmentPolicy = DEFAULT_ENROLMENT_POLICY,
  ) {
    this.log = logger.child({ module: 'enrolment' });
  }

  /** Issues a new code for the booth, voiding its earlier ones. The code is shown once. */
  async issueCode(boothId: string, actor: AuditActor): Promise<{ code: string; expiresAt: Date }> {
    for (;;) {
      const lookup = randomCode(LOOKUP_LENGTH);
      const secret = randomCode(SECRET_LENGTH);
      try {
        const expiresAt = await this.db.transaction(async (tx) => {
          await voidOpenEnrolmentCodes(tx, boothId);
          const rows = await tx.query<{ expires_at: Date }>(
            `insert into enrolment_codes (lookup, booth_id, secret_hash, expires_at)
             values ($1, $2, $3, now() + $4 * interval '1 millisecond') returning expires_at`,
            [lookup, boothId, sha256Hex(secret), this.policy.validityMs],
          );
          await recordAudit(tx, { actor, action: 'booth.enrolment_code_issued', subject: boothId });
          return rows[0]!.expires_at;
        });
        this.log.info({ boothId }, 'enrolment code issued');
        return { code: formatCode(lookup + secret), expiresAt };
      } catch (error) {
        if (isViolation(error, FOREIGN_KEY_VIOLATION)) throw new NotFoundError(`no booth ${boothId}`);
        // Another code already uses this lookup: draw again.
        if (isViolation(error, UNIQUE_VIOLATION)) continue;
        throw error;
      }
    }
  }

  /** Spends a code and issues the booth's device credential, or throws EnrolmentRefusedError. */
  async enrol(typed: unknown): Promise<Enrolled> {
    const normalised = typeof typed === 'string' ? typed.toUpperCase().replace(/[\s-]/g, '') : '';
    if (normalised.length !== LOOKUP_LENGTH + SECRET_LENGTH || ![...normalised].every((char) => ENROLMENT_ALPHABET.includes(char))) {
      throw new EnrolmentRefusedError('malformed', `An enrolment code has ${LOOKUP_LENGTH + SECRET_LENGTH} letters and digits`);
    }
    const lookup = normalised.slice(0, LOOKUP_LENGTH);
    const secret = normalised.slice(LOOKUP_LENGTH);
    // A refusal must still count the attempt, so the transaction returns it rather than throwing.
    const outcome = await this.db.transaction(async (tx): Promise<Enrolled | EnrolmentRefusedError> => {
      const rows = await tx.query<CodeRow>('select * from enrolment_codes where lookup = $1 for update', [lookup]);
      const row = rows[0];
      if (!row) return new EnrolmentRefusedError('unknown', 'No such enrolment code');
      if (row.used_at !== null) return new EnrolmentRefusedError('used', 'This enrolment code was already used');
      if (row.voided_at !== null) return new EnrolmentRefusedError('void', 'This enrolment code is no longer valid');
      if (row.expires_at.getTime() <= Date.now()) return new EnrolmentRefusedError('expired', 'This enrolment code has expired');
      if (!matchesSha256(secret, row.secret_hash)) {
        const wrongAttempts = row.wrong_attempts + 1;
        const spent = wrongAttempts >= this.policy.maxWrongAttempts;
        await tx.query(
          `update enrolment_codes set wrong_attempts = $2, voided_at = case when $3 then now() else null end where lookup = $1`,
          [lookup, wrongAttempts, spent],
        );
        await recordAudit(tx, {
          actor: { kind: 'anonymous' },
          action: 'booth.enrolment_failed',
          subject: row.booth_id,
          detail: { wrongAttempts },
        });
        return new EnrolmentRefusedError('wrong', 'This enrolment code is not right', this.policy.maxWrongAttempts - wrongAttempts);
      }
      await tx.query('update enrolment_codes set used_at = now() where lookup = $1', [lookup]);
      const credential = await issueCredentialWithin(tx, row.booth_id, { kind: 'booth', id: row.booth_id });
      const booth = (
        await tx.query<{ branch_id: string; name: string }>('select branch_id, name from booths where id = $1', [row.booth_id])
      )[0]!;
      await recordAudit(tx, { actor: { kind: 'booth', id: row.booth_id }, action: 'booth.enrolled', subject: row.booth_id });
      return { boothId: row.booth_id, branchId: booth.branch_id, name: booth.name, credential };
    });
    if (outcome instanceof EnrolmentRefusedError) {
      this.log.warn({ reason: outcome.reason }, 'enrolment refused');
      throw outcome;
    }
    this.log.info({ boothId: outcome.boothId }, 'booth enrolled');
    return outcome;
  }
}

function randomCode(length: number): string {
  return Array.from({ length }, () => ENROLMENT_ALPHABET[randomInt(ENROLMENT_ALPHABET.length)]).join('');
}

/** XXXX-XXXX-XXXX, easier to read aloud and type. */
function formatCode(code: string): string {
  return code.match(/.{4}/g)!.join('-');
}
