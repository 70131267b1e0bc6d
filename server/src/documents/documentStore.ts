/**
 * Document photos in the records database, with the ids that decide who may see them. The image
 * bytes are read only by `imageOf`, after the caller has been authorized on `find`'s answer.
 */
import type { Queryable } from '../db/database.js';
import type { PhotoMime } from './imageHeader.js';

/** A stored photo, without its bytes. */
export interface StoredDocument {
  id: string;
  visitId: string;
  boothId: string;
  officerId: string;
  branchId: string;
  mime: PhotoMime;
  width: number;
  height: number;
  bytes: number;
  createdAt: Date;
}

/** A photo to store, with its bytes. */
export type NewDocument = Omit<StoredDocument, 'id' | 'bytes' | 'createdAt'> & { data: Buffer };

interface DocumentRow {
  id: string;
  visit_id: string;
  booth_id: string;
  officer_id: string;
  branch_id: string;
  mime: PhotoMime;
  width: number;
  height: number;
  bytes: number;
  created_at: Date;
}

const DOCUMENT_COLUMNS = 'id, visit_id, booth_id, officer_id, branch_id, mime, width, height, bytes, created_at';

export class DocumentStore {
  constructor(private readonly db: Queryable) {}

  /** Stores a photo, on the database or inside the caller's transaction `tx`; returns it without its bytes. */
  async insert(document: NewDocument, tx: Queryable = this.db): Promise<StoredDocument> {
    const rows = await tx.query<DocumentRow>(
      `insert into documents (visit_id, booth_id, officer_id, branch_id, mime, width, height, bytes, data)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning ${DOCUMENT_COLUMNS}`,
      [
        document.visitId,
        document.boothId,
        document.officerId,
        document.branchId,
        document.mime,
        document.width,
        document.height,
        document.data.length,
        document.data,
      ],
    );
    return toDocument(rows[0]!);
  }

  /** The photo's ids and size, or null when there is none with this id. */
  async find(documentId: string): Promise<StoredDocument | null> {
    const rows = await this.db.query<DocumentRow>(`select ${DOCUMENT_COLUMNS} from documents where id = $1`, [documentId]);
    return rows[0] ? toDocument(rows[0]) : null;
  }

  /** The photos of one visit, oldest first, without their bytes. */
  async forVisit(visitId: string): Promise<StoredDocument[]> {
    const rows = await this.db.query<DocumentRow>(`select ${DOCUMENT_COLUMNS} from documents where visit_id = $1 order by created_at, id`, [
      visitId,
    ]);
    return rows.map(toDocument);
  }

  /** The photo's bytes and type; only for a caller already authorized to see it. */
  async imageOf(documentId: string): Promise<{ mime: PhotoMime; data: Buffer } | null> {
    const rows = await this.db.query<{ mime: PhotoMime; data: Uint8Array }>('select mime, data from documents where id = $1', [documentId]);
    const row = rows[0];
    // pg returns a Buffer, PGlite a Uint8Array: both become a Buffer over the same memory.
    return row ? { mime: row.mime, data: Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength) } : null;
  }
}

function toDocument(row: DocumentRow): StoredDocument {
  return {
    id: row.id,
    visitId: row.visit_id,
    boothId: row.booth_id,
    officerId: row.officer_id,
    branchId: row.branch_id,
    mime: row.mime,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    createdAt: row.created_at,
  };
}
