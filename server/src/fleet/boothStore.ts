/**
 * Booth kiosks and their device credentials, in the records database.
 *
 * A credential is a random 256-bit secret shown once, when it is issued, and stored only as its
 * SHA-256. A slow hash (scrypt) is not needed: unlike a password, the secret cannot be guessed.
 * Revoking or re-issuing replaces the stored hash, so the old credential stops working at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { recordAudit, type AuditActor } from '../audit/auditLog.js';
import { DatabaseError, FOREIGN_KEY_VIOLATION, UNIQUE_VIOLATION, type Database, type Queryable } from '../db/database.js';
import { NotFoundError, ValidationError } from '../errors.js';
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
  id: z
    .string({ error: 'is required' })
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, - or _'),
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

const BOOTH_SELECT = `select id, branch_id, name, credential_hash is not null as enrolled, revoked_at, out_of_service, created_at from booths`;

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
    const parsed = newBoothSchema.safeParse(input);
    if (!parsed.success) {
      throw new ValidationError(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; '));
    }
    const booth = parsed.data;
    try {
      await this.db.transaction(async (tx) => {
        await tx.query('insert into booths (id, branch_id, name) values ($1, $2, $3)', [booth.id, booth.branchId, booth.name]);
        await recordAudit(tx, { actor, action: 'booth.created', subject: booth.id, detail: { branchId: booth.branchId } });
      });
    } catch (error) {
      if (error instanceof DatabaseError && error.code === UNIQUE_VIOLATION) throw new BoothExistsError(`booth ${booth.id} already exists`);
      if (error instanceof DatabaseError && error.code === FOREIGN_KEY_VIOLATION) throw new ValidationError(`unknown branch ${booth.branchId}`);
      throw error;
    }
    this.log.info({ boothId: booth.id, branchId: booth.branchId }, 'booth created');
    return this.getBooth(booth.id);
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

  /** The booth holding this credential, or null when it is malformed, unknown or revoked. */
  async authenticate(credential: unknown): Promise<Booth | null> {
    if (typeof credential !== 'string' || !CREDENTIAL_PATTERN.test(credential)) return null;
    const rows = await this.db.query<BoothRow>(`${BOOTH_SELECT} where credential_hash = $1 and revoked_at is null`, [hashCredential(credential)]);
    return rows[0] ? toBooth(rows[0]) : null;
  }

  /**
   * Voids the booth's credential and any enrolment code not yet used: it can no longer connect
   * until branch IT issues a new code and enrols it again.
   */
  async revoke(boothId: string, actor: AuditActor): Promise<void> {
    await this.db.transaction(async (tx) => {
      const rows = await tx.query('update booths set credential_hash = null, revoked_at = now() where id = $1 returning id', [boothId]);
      if (rows.length === 0) throw new NotFoundError(`no booth ${boothId}`);
      await tx.query('update enrolment_codes set voided_at = now() where booth_id = $1 and used_at is null and voided_at is null', [boothId]);
      await recordAudit(tx, { actor, action: 'booth.revoked', subject: boothId });
    });
    this.log.info({ boothId }, 'booth revoked');
  }

  /** The booth with this id, or null. */
  async findBooth(boothId: string): Promise<Booth | null> {
    const rows = await this.db.query<BoothRow>(`${BOOTH_SELECT} where id = $1`, [boothId]);
    return rows[0] ? toBooth(rows[0]) : null;
  }

  /** The booths of one branch, by id. */
  async listBooths(branchId: string): Promise<Booth[]> {
    const rows = await this.db.query<BoothRow>(`${BOOTH_SELECT} where branch_id = $1 order by id`, [branchId]);
    return rows.map(toBooth);
  }

  private async getBooth(boothId: string): Promise<Booth> {
    const booth = await this.findBooth(boothId);
    if (!booth) throw new NotFoundError(`no booth ${boothId}`);
    return booth;
  }
}

/** issueCredential's work inside the caller's transaction (enrolment spends its code in the same one). */
export async function issueCredentialWithin(tx: Queryable, boothId: string, actor: AuditActor): Promise<string> {
  const credential = CREDENTIAL_PREFIX + randomBytes(32).toString('base64url');
  const rows = await tx.query(
    'update booths set credential_hash = $2, credential_issued_at = now(), revoked_at = null where id = $1 returning id',
    [boothId, hashCredential(credential)],
  );
  if (rows.length === 0) throw new NotFoundError(`no booth ${boothId}`);
  await recordAudit(tx, { actor, action: 'booth.credential_issued', subject: boothId });
  return credential;
}

function hashCredential(credential: string): string {
  return createHash('sha256').update(credential).digest('hex');
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
