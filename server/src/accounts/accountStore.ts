/**
 * Branches and the accounts of officers, supervisors and IT administrators, in the records
 * database. Display names are personal data: they are stored and returned, never logged.
 * Password hashes leave this module only through `findSignInRecord`.
 */
import { MAX_DESK_CAPACITY, MIN_DESK_CAPACITY } from '@bilik/shared';
import { z } from 'zod';
import { FOREIGN_KEY_VIOLATION, isViolation, UNIQUE_VIOLATION, type Database, type Queryable } from '../db/database.js';
import { recordAudit, type AuditActor } from '../audit/auditLog.js';
import { ROLES, type Role } from '../auth/roles.js';
import { NotFoundError, parseOrThrow, ValidationError } from '../errors.js';
import { identifierSchema, usernameSchema } from '../identifiers.js';
import type { Logger } from '../logger.js';
import { hashPassword } from './passwords.js';

export interface Branch {
  id: string;
  name: string;
  region: string | null;
}

/** An account as the rest of the server sees it: never with its password hash. */
export interface Account {
  id: string;
  username: string;
  /** Personal data: show it, never log it. */
  displayName: string;
  role: Role;
  /** The branches this person covers, sorted. */
  branchIds: string[];
  /** How many booths an officer serves at once (4 to 6). */
  capacity: number;
  createdAt: Date;
}

/** The username is taken (usernames are unique regardless of the case they were typed in). */
export class UsernameTakenError extends ValidationError {}
/** A branch id that names no branch. */
export class UnknownBranchError extends ValidationError {}
/** A branch id that is already used. */
export class BranchExistsError extends ValidationError {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A username as typed: any case, surrounding spaces ignored. */
const username = z.string({ error: 'is required' }).trim().toLowerCase().pipe(usernameSchema);
const branchId = z.string({ error: 'is required' }).trim().pipe(identifierSchema);

const newBranchSchema = z.object({
  id: branchId,
  name: z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  region: z
    .string()
    .trim()
    .max(100, 'must be at most 100 characters')
    .nullish()
    .transform((region) => (region ? region : null)),
});
export type NewBranch = z.input<typeof newBranchSchema>;

const newAccountSchema = z.object({
  username,
  displayName: z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }),
  password: z.string({ error: 'is required' }),
  branchIds: z
    .array(branchId)
    .default([])
    .transform((ids) => [...new Set(ids)].sort()),
});
export type NewAccount = z.input<typeof newAccountSchema>;
type ParsedNewAccount = z.output<typeof newAccountSchema>;

/**
 * Checks a new account's fields (not yet the password policy, which hashing checks) without
 * touching the database, so a caller (the CLI) can report mistakes before asking for a password.
 * Throws a ValidationError naming each bad field.
 */
export function parseNewAccount(input: NewAccount): ParsedNewAccount {
  return parseOrThrow(newAccountSchema, input);
}

/** Parses a new branch's fields; throws a ValidationError naming each bad field. */
export function parseNewBranch(input: NewBranch): Branch {
  return parseOrThrow(newBranchSchema, input);
}

interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  branch_ids: string[];
  capacity: number;
  created_at: Date;
}

/** Every column but password_hash, with the account's branches as a sorted array (group by a.id). */
const ACCOUNT_COLUMNS = `a.id, a.username, a.display_name, a.role, a.capacity, a.created_at,
  coalesce(array_agg(ab.branch_id order by ab.branch_id) filter (where ab.branch_id is not null), '{}'::text[]) as branch_ids`;
const ACCOUNT_FROM = 'from accounts a left join account_branches ab on ab.account_id = a.id';

export class AccountStore {
  private readonly log: Logger;

  constructor(
    private readonly db: Database,
    logger: Logger,
  ) {
    this.log = logger.child({ module: 'accounts' });
  }

  /** Adds a branch; a taken id is a BranchExistsError. */
  async createBranch(input: NewBranch): Promise<Branch> {
    const branch = parseNewBranch(input);
    try {
      await this.db.query('insert into branches (id, name, region) values ($1, $2, $3)', [branch.id, branch.name, branch.region]);
    } catch (error) {
      if (isViolation(error, UNIQUE_VIOLATION, 'branches_pkey')) throw new BranchExistsError(`branch ${branch.id} already exists`);
      throw error;
    }
    this.log.info({ branchId: branch.id }, 'branch created');
    return branch;
  }

  /** All branches, by id. */
  async listBranches(): Promise<Branch[]> {
    return this.db.query<Branch>('select id, name, region from branches order by id');
  }

  /**
   * Creates an account with a hashed password and the branches it covers. Throws a
   * ValidationError (UsernameTakenError, UnknownBranchError, PasswordPolicyError, or a bad field).
   */
  async createAccount(input: NewAccount): Promise<Account> {
    const account = parseNewAccount(input);
    // Hashed before the transaction: scrypt takes ~0.1 s, and PGlite has a single connection.
    const passwordHash = await hashPassword(account.password);
    const created = await this.db.transaction(async (tx) => {
      await assertBranchesExist(tx, account.branchIds);
      let rows: Array<{ id: string }>;
      try {
        rows = await tx.query<{ id: string }>(
          'insert into accounts (username, display_name, role, password_hash) values ($1, $2, $3, $4) returning id',
          [account.username, account.displayName, account.role, passwordHash],
        );
      } catch (error) {
        // The unique constraint, not a prior select, decides: two creations at once cannot both win.
        if (isViolation(error, UNIQUE_VIOLATION, 'accounts_username_key')) throw new UsernameTakenError('that username is already taken');
        throw error;
      }
      const id = rows[0]!.id;
      if (account.branchIds.length > 0) {
        try {
          await tx.query('insert into account_branches (account_id, branch_id) select $1, unnest($2::text[])', [id, account.branchIds]);
        } catch (error) {
          // A branch deleted between the check and the insert.
          if (isViolation(error, FOREIGN_KEY_VIOLATION)) throw new UnknownBranchError('a branch of this account no longer exists');
          throw error;
        }
      }
      return (await selectAccounts(tx, 'where a.id = $1', [id]))[0]!;
    });
    this.log.info({ accountId: created.id, role: created.role, branchIds: created.branchIds }, 'account created');
    return created;
  }

  /** The account with this username (any case), or null. */
  async findByUsername(name: string): Promise<Account | null> {
    const normalised = normaliseUsername(name);
    if (normalised === null) return null;
    return (await selectAccounts(this.db, 'where a.username = $1', [normalised]))[0] ?? null;
  }

  /** The account and its password hash, for signing in only; null if there is no such account. */
  async findSignInRecord(name: string): Promise<{ account: Account; passwordHash: string } | null> {
    const normalised = normaliseUsername(name);
    if (normalised === null) return null;
    const rows = await this.db.query<AccountRow & { password_hash: string }>(
      `select a.password_hash, ${ACCOUNT_COLUMNS} ${ACCOUNT_FROM} where a.username = $1 group by a.id`,
      [normalised],
    );
    return rows[0] ? { account: toAccount(rows[0]), passwordHash: rows[0].password_hash } : null;
  }

  /** The account with this id, or null. */
  async findById(id: string): Promise<Account | null> {
    if (!UUID.test(id)) return null;
    return (await selectAccounts(this.db, 'where a.id = $1', [id]))[0] ?? null;
  }

  /** Whether any account exists (first-run seeding). */
  async hasAccounts(): Promise<boolean> {
    return (await this.db.query('select 1 from accounts limit 1')).length > 0;
  }

  /** Sets how many booths an officer serves at once; throws unless it is 4 to 6 and the account is an officer. */
  async setCapacity(accountId: string, capacity: number, actor: AuditActor): Promise<void> {
    if (!Number.isInteger(capacity) || capacity < MIN_DESK_CAPACITY || capacity > MAX_DESK_CAPACITY) {
      throw new ValidationError(`capacity must be a whole number from ${MIN_DESK_CAPACITY} to ${MAX_DESK_CAPACITY}`);
    }
    await this.db.transaction(async (tx) => {
      const rows = await tx.query("update accounts set capacity = $2 where id = $1 and role = 'officer' returning id", [
        accountId,
        capacity,
      ]);
      if (rows.length === 0) throw new NotFoundError('no officer with that id');
      await recordAudit(tx, { actor, action: 'officer.capacity_set', subject: accountId, detail: { capacity } });
    });
    this.log.info({ accountId, capacity }, 'officer capacity set');
  }

  /** All accounts by username, or those covering one branch; never with password hashes. */
  async listAccounts(filter: { branchId?: string } = {}): Promise<Account[]> {
    if (filter.branchId === undefined) return selectAccounts(this.db, '', []);
    return selectAccounts(
      this.db,
      'where exists (select 1 from account_branches mine where mine.account_id = a.id and mine.branch_id = $1)',
      [filter.branchId],
    );
  }
}

async function assertBranchesExist(tx: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set((await tx.query<{ id: string }>('select id from branches where id = any($1::text[])', [ids])).map((row) => row.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) throw new UnknownBranchError(`unknown branch${missing.length > 1 ? 'es' : ''}: ${missing.join(', ')}`);
}

async function selectAccounts(db: Queryable, where: string, params: unknown[]): Promise<Account[]> {
  const rows = await db.query<AccountRow>(`select ${ACCOUNT_COLUMNS} ${ACCOUNT_FROM} ${where} group by a.id order by a.username`, params);
  return rows.map(toAccount);
}

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    branchIds: row.branch_ids,
    capacity: row.capacity,
    createdAt: row.created_at,
  };
}

function normaliseUsername(name: string): string | null {
  const parsed = username.safeParse(name);
  return parsed.success ? parsed.data : null;
}
