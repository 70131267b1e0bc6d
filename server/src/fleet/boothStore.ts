/**
 * Booth kiosks and their device credentials, in the records database.
 *
 * A credential is a random 256-bit secret shown once, when it is issued, and stored only as its
 * SHA-256. A slow hash (scrypt) is not needed: unlike a password, the secret cannot be guessed.
 * Revoking or re-issuing replaces the stored hash, so the old credential stops working at once.
 * Rotating stages the new one beside it first, until the kiosk has stored it (see stageCredential).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { recordAudit, type AuditActor } from '../audit/auditLog.js';
import { FOREIGN_KEY_VIOLATION, isViolation, UNIQUE_VIOLATION, type Database, type Queryable } from '../db/database.js';
import { InvalidStateError, NotFoundError, parseOrThrow, ValidationError } from '../errors.js';
import { sha256Hex } from '../hashing.js';
import { identifierSchema } from '../identifiers.js';
import type { Logger } from '../logger.js';

export interface Booth {
  id: string;
  branchId: string;
  name: string;
  /** Whether the booth holds a valid device credential. */
  enrolled: boolean;
  revokedAt: Date | null;
  outOfService: boolean;
  createdAt: Date;
}

/** A booth id that is already used. */
export class BoothExistsError extends ValidationError {}

/** Prefix of every device credential, so one is recognisable in a config file or a leak scan. */
const CREDENTIAL_PREFIX = 'bk1_';
const CREDENTIAL_PATTERN = /^bk1_[A-Za-z0-9_-]{43}$/;

const newBoothSchema = z.object({
  id: z.string({ error: 'is required' }).trim().pipe(identifierSchema),
  branchId: z.string({ error: 'is required' }).trim().min(1, 'is required'),
  name: z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
});
export type NewBooth = z.input<typeof newBoothSchema>;

interface BoothRow {
  id: string;
  branch_id: string;
  name: string;
  enrolled: boolean;
  revoked_at: Date | null;
  out_of_service: boolean;
  created_at: Date;
}

const BOOTH_COLUMNS = 'id, branch_id, name, credential_hash is not null as enrolled, revoked_at, out_of_service, created_at';
const BOOTH_SELECT = `select ${BOOTH_COLUMNS} from booths`;

export class BoothStore {
  private readonly log: Logger;

  constructor(
    private readonly db: Database,
    logger: Logger,
  ) {
    this.log = logger.child({ module: 'booths' });
  }

  /** Adds a booth to a branch, not yet enrolled. */
  async createBooth(input: NewBooth, actor: AuditActor): Promise<Booth> {
    const booth = parseOrThrow(newBoothSchema, input);
    let created: BoothRow;
    try {
      created = await this.db.transaction(async (tx) => {
        const rows = await tx.query<BoothRow>(`insert into booths (id, branch_id, name) values ($1, $2, $3) returning ${BOOTH_COLUMNS}`, [
          booth.id,
          booth.branchId,
          booth.name,
        ]);
        await recordAudit(tx, { actor, action: 'booth.created', subject: booth.id, detail: { branchId: booth.branchId } });
        return rows[0]!;
      });
    } catch (error) {
      if (isViolation(error, UNIQUE_VIOLATION)) throw new BoothExistsError(`booth ${booth.id} already exists`);
      if (isViolation(error, FOREIGN_KEY_VIOLATION)) throw new ValidationError(`unknown branch ${booth.branchId}`);
      throw error;
    }
    this.log.info({ boothId: booth.id, branchId: booth.branchId }, 'booth created');
    return toBooth(created);
  }

  /**
   * Issues a new device credential for the booth, replacing (and so invalidating) any earlier
   * one and lifting a revocation. Returns the secret: it is not stored and cannot be shown again.
   */
  async issueCredential(boothId: string, actor: AuditActor): Promise<string> {
    const credential = await this.db.transaction((tx) => issueCredentialWithin(tx, boothId, actor));
    this.log.info({ boothId }, 'booth credential issued');
    return credential;
  }

  /**
   * The booth holding this credential, or null when it is malformed, unknown or revoked. A staged
   * credential counts too, and using it completes its rotation: the kiosk has evidently stored it,
   * even if its acknowledgement was lost.
   */
  async authenticate(credential: unknown): Promise<Booth | null> {
    if (typeof credential !== 'string' || !CREDENTIAL_PATTERN.test(credential)) return null;
    const rows = await this.db.query<BoothRow & { staged: boolean }>(
      `select ${BOOTH_COLUMNS}, pending_credential_hash = $1 as staged from booths
       where (credential_hash = $1 or pending_credential_hash = $1) and revoked_at is null`,
      [hashCredential(credential)],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.staged) await this.promoteCredential(row.id, credential, { kind: 'booth', id: row.id });
    return toBooth(row);
  }

  /**
   * Starts rotating an enrolled booth's credential: a new one that works beside the current one
   * until promoteCredential makes it the only one, so a kiosk never holds a credential the server
   * does not accept. Replaces any rotation not completed. Returns the secret, for the kiosk only.
   */
  async stageCredential(boothId: string): Promise<string> {
    const credential = newCredential();
    const rows = await this.db.query(
      'update booths set pending_credential_hash = $2 where id = $1 and credential_hash is not null and revoked_at is null returning id',
      [boothId, hashCredential(credential)],
    );
    if (rows.length === 0) throw new InvalidStateError(`booth ${boothId} is not enrolled`);
    return credential;
  }

  /**
   * Completes a rotation: the staged credential replaces the current one, which stops working.
   * False when it is no longer staged (completed already, replaced by a newer rotation, revoked).
   */
  async promoteCredential(boothId: string, credential: string, actor: AuditActor): Promise<boolean> {
    const promoted = await this.db.transaction(async (tx) => {
      const rows = await tx.query(
        `update booths set credential_hash = pending_credential_hash, pending_credential_hash = null, credential_issued_at = now()
         where id = $1 and pending_credential_hash = $2 and revoked_at is null returning id`,
        [boothId, hashCredential(credential)],
      );
      if (rows.length === 0) return false;
      await recordAudit(tx, { actor, action: 'booth.credential_rotated', subject: boothId });
      return true;
    });
    if (promoted) this.log.info({ boothId }, 'booth credential rotated');
    return promoted;
  }

  /** Takes the booth out of service, or puts it back; returns the booth as it is now. */
  async setOutOfService(boothId: string, outOfService: boolean, actor: AuditActor): Promise<Booth> {
    const row = await this.db.transaction(async (tx) => {
      const rows = await tx.query<BoothRow>(`update booths set out_of_service = $2 where id = $1 returning ${BOOTH_COLUMNS}`, [
        boothId,
        outOfService,
      ]);
      if (rows.length === 0) throw new NotFoundError(`no booth ${boothId}`);
      await recordAudit(tx, { actor, action: outOfService ? 'booth.out_of_service' : 'booth.in_service', subject: boothId });
      return rows[0]!;
    });
    this.log.info({ boothId, outOfService }, 'booth service changed');
    return toBooth(row);
  }

  /**
   * Voids the booth's credential and any enrolment code not yet used: it can no longer connect
   * until branch IT issues a new code and enrols it again.
   */
  async revoke(boothId: string, actor: AuditActor): Promise<void> {
    await this.db.transaction(async (tx) => {
      const rows = await tx.query(
        'update booths set credential_hash = null, pending_credential_hash = null, revoked_at = now() where id = $1 returning id',
        [boothId],
      );
      if (rows.length === 0) throw new NotFoundError(`no booth ${boothId}`);
      await voidOpenEnrolmentCodes(tx, boothId);
      await recordAudit(tx, { actor, action: 'booth.revoked', subject: boothId });
    });
    this.log.info({ boothId }, 'booth revoked');
  }

  /** The booth with this id, or null. */
  async findBooth(boothId: string): Promise<Booth | null> {
    const rows = await this.db.query<BoothRow>(`${BOOTH_SELECT} where id = $1`, [boothId]);
    return rows[0] ? toBooth(rows[0]) : null;
  }

  /** The booths of one branch by id, or of every branch by branch and id. */
  async listBooths(branchId?: string): Promise<Booth[]> {
    const rows =
      branchId === undefined
        ? await this.db.query<BoothRow>(`${BOOTH_SELECT} order by branch_id, id`)
        : await this.db.query<BoothRow>(`${BOOTH_SELECT} where branch_id = $1 order by id`, [branchId]);
    return rows.map(toBooth);
  }
}

/** issueCredential's work inside the caller's transaction (enrolment spends its code in the same one). */
export async function issueCredentialWithin(tx: Queryable, boothId: string, actor: AuditActor): Promise<string> {
  const credential = newCredential();
  const rows = await tx.query(
    'update booths set credential_hash = $2, pending_credential_hash = null, credential_issued_at = now(), revoked_at = null where id = $1 returning id',
    [boothId, hashCredential(credential)],
  );
  if (rows.length === 0) throw new NotFoundError(`no booth ${boothId}`);
  await recordAudit(tx, { actor, action: 'booth.credential_issued', subject: boothId });
  return credential;
}

/** Voids the booth's enrolment codes not yet used (a newer code, or a revocation, replaces them). */
export async function voidOpenEnrolmentCodes(tx: Queryable, boothId: string): Promise<void> {
  await tx.query('update enrolment_codes set voided_at = now() where booth_id = $1 and used_at is null and voided_at is null', [boothId]);
}

function newCredential(): string {
  return CREDENTIAL_PREFIX + randomBytes(32).toString('base64url');
}

function hashCredential(credential: string): string {
  return sha256Hex(credential);
}

function toBooth(row: BoothRow): Booth {
  return {
    id: row.id,
    branchId: row.branch_id,
    name: row.name,
    enrolled: row.enrolled,
    revokedAt: row.revoked_at,
    outOfService: row.out_of_service,
    createdAt: row.created_at,
  };
}
