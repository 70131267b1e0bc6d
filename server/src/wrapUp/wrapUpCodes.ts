/**
 * Each branch's wrap-up codes, which its supervisors add, rename, retire and choose the default
 * of. Codes are never deleted: visits filed under a retired code keep pointing at it. Every change
 * is audited in its own transaction.
 */
import type { WrapUpCodeView } from '@bilik/shared';
import { recordAudit, type AuditActor } from '../audit/auditLog.js';
import { isViolation, UNIQUE_VIOLATION, type Database, type Transaction } from '../db/database.js';
import { InvalidStateError, NotFoundError } from '../errors.js';

/** What a supervisor may change of a code; absent fields stay as they are. */
export interface WrapUpCodeChange {
  label?: string;
  isDefault?: boolean;
  retired?: boolean;
}

interface CodeRow {
  id: string;
  branch_id: string;
  label: string;
  is_default: boolean;
  retired_at: Date | null;
}

const COLUMNS = 'id::text as id, branch_id, label, is_default, retired_at';

export class WrapUpCodes {
  constructor(private readonly db: Database) {}

  /** The branch's codes, live ones first, each group by label. */
  async list(branchId: string): Promise<WrapUpCodeView[]> {
    const rows = await this.db.query<CodeRow>(
      `select ${COLUMNS} from wrap_up_codes where branch_id = $1 order by retired_at is not null, lower(label)`,
      [branchId],
    );
    return rows.map(viewOf);
  }

  /** One code by id, or null (also for a string that is not a uuid). */
  async find(codeId: string): Promise<WrapUpCodeView | null> {
    const rows = await this.db.query<CodeRow>(`select ${COLUMNS} from wrap_up_codes where id::text = $1`, [codeId]);
    return rows[0] ? viewOf(rows[0]) : null;
  }

  /** The branch's live default code, or null when its supervisors chose none. */
  async defaultOf(branchId: string): Promise<WrapUpCodeView | null> {
    const rows = await this.db.query<CodeRow>(
      `select ${COLUMNS} from wrap_up_codes where branch_id = $1 and is_default and retired_at is null`,
      [branchId],
    );
    return rows[0] ? viewOf(rows[0]) : null;
  }

  /** Adds a live code to the branch; as its default, the previous default stops being one. */
  async create(branchId: string, code: { label: string; isDefault: boolean }, actor: AuditActor): Promise<WrapUpCodeView> {
    return this.write(async (tx) => {
      if (code.isDefault) await clearDefault(tx, branchId);
      const [row] = await tx.query<CodeRow>(
        `insert into wrap_up_codes (branch_id, label, is_default) values ($1, $2, $3) returning ${COLUMNS}`,
        [branchId, code.label, code.isDefault],
      );
      await recordAudit(tx, { actor, action: 'wrap_up_code.created', subject: row!.id, detail: { branchId, isDefault: code.isDefault } });
      return viewOf(row!);
    });
  }

  /** Renames, retires or makes default a code; a retired code is never the default, and the default is never retired. */
  async update(codeId: string, change: WrapUpCodeChange, actor: AuditActor): Promise<WrapUpCodeView> {
    return this.write(async (tx) => {
      const [current] = await tx.query<CodeRow>(`select ${COLUMNS} from wrap_up_codes where id::text = $1 for update`, [codeId]);
      if (!current) throw new NotFoundError('No wrap-up code with that id');
      const retired = change.retired ?? current.retired_at !== null;
      if (retired && change.isDefault === true) throw new InvalidStateError('A retired code cannot be the default');
      // Retiring the default would leave the wrap-up timer nothing to file: another must take its place first.
      if (retired && current.is_default) throw new InvalidStateError('The default code cannot be retired; choose another default first');
      const isDefault = !retired && (change.isDefault ?? current.is_default);
      if (isDefault && !current.is_default) await clearDefault(tx, current.branch_id);
      const [row] = await tx.query<CodeRow>(
        `update wrap_up_codes set label = $2, is_default = $3,
           retired_at = case when $4::boolean then coalesce(retired_at, now()) else null end
         where id = $1::uuid returning ${COLUMNS}`,
        [current.id, change.label ?? current.label, isDefault, retired],
      );
      await recordAudit(tx, {
        actor,
        action: 'wrap_up_code.changed',
        subject: current.id,
        detail: { branchId: current.branch_id, renamed: change.label !== undefined, isDefault, retired },
      });
      return viewOf(row!);
    });
  }

  /** Runs a change; a live label the branch has already is refused with a clear message. */
  private async write<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction(work);
    } catch (error) {
      if (isViolation(error, UNIQUE_VIOLATION, 'wrap_up_codes_live_label')) {
        throw new InvalidStateError('The branch already has a live wrap-up code with that label');
      }
      throw error;
    }
  }
}

async function clearDefault(tx: Transaction, branchId: string): Promise<void> {
  await tx.query('update wrap_up_codes set is_default = false where branch_id = $1 and is_default', [branchId]);
}

function viewOf(row: CodeRow): WrapUpCodeView {
  return { id: row.id, branchId: row.branch_id, label: row.label, isDefault: row.is_default, retired: row.retired_at !== null };
}
