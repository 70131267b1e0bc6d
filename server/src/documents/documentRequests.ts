/**
 * Pending photo requests, in Redis so that the upload may reach any server process: an officer
 * asked a booth for a photo, and the booth may upload it once, within a couple of minutes.
 * A request holds ids only; the image itself never passes through Redis.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/** How long a booth has to count down, take and upload the photo. */
export const DOCUMENT_REQUEST_TTL_MS = 2 * 60_000;

const KEY_PREFIX = 'bilik:docreq:';

/** The Redis key of one pending request. */
export function documentRequestKey(requestId: string): string {
  return KEY_PREFIX + requestId;
}

const pendingSchema = z.strictObject({
  boothId: z.string(),
  officerId: z.string(),
  visitId: z.string(),
  branchId: z.string(),
});

/** Who asked which booth for a photo, during which visit. */
export type PendingDocumentRequest = z.infer<typeof pendingSchema>;

export class DocumentRequests {
  constructor(private readonly redis: Redis) {}

  /** Records a new request and returns its id. */
  async create(request: PendingDocumentRequest): Promise<string> {
    const requestId = randomUUID();
    await this.redis.set(documentRequestKey(requestId), JSON.stringify(request), 'PX', DOCUMENT_REQUEST_TTL_MS);
    return requestId;
  }

  /** The request, or null when it is unknown, expired or already used. */
  async find(requestId: string): Promise<PendingDocumentRequest | null> {
    return parse(await this.redis.get(documentRequestKey(requestId)));
  }

  /** Removes the request and returns it; of several callers at once, only one gets it. */
  async take(requestId: string): Promise<PendingDocumentRequest | null> {
    return parse(await this.redis.getdel(documentRequestKey(requestId)));
  }
}

function parse(stored: string | null): PendingDocumentRequest | null {
  if (stored === null) return null;
  const parsed = pendingSchema.safeParse(JSON.parse(stored));
  return parsed.success ? parsed.data : null;
}
