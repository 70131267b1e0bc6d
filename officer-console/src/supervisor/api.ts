/**
 * The supervisor page's calls to the server's JSON API. Every answer is `{ ok: true, data }` or
 * `{ ok: false, error, message }`; a failure becomes an ApiError carrying the HTTP status.
 */
import type { BranchQueueView } from '@bilik/shared/journey';

/** A call the server refused or could not answer. */
export class ApiError extends Error {
  constructor(
    /** The HTTP status, or 0 when no answer came. */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Answer<T> = { ok: true; data: T } | { ok: false; error: string; message: string };

async function call<T>(method: 'GET' | 'PUT', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    // Same-origin with the session cookie; on the PUT the browser adds the Origin the server checks.
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new ApiError(0, error instanceof Error ? error.message : String(error));
  }
  // A proxy's error page is not JSON: the status is all there is to say then.
  const answer = (await response.json().catch(() => null)) as Answer<T> | null;
  if (answer?.ok && response.ok) return answer.data;
  throw new ApiError(response.status, answer && !answer.ok ? `${answer.error}: ${answer.message}` : `${method} ${path} answered ${response.status}`);
}

/** The branch's live queue, officers and today's numbers. */
export function fetchBranchQueue(branchId: string): Promise<BranchQueueView> {
  return call('GET', `/api/branches/${encodeURIComponent(branchId)}/queue`);
}

/** Sets how many booths an officer serves at once (4 to 6). */
export async function setOfficerCapacity(accountId: string, capacity: number): Promise<void> {
  await call('PUT', `/api/officers/${encodeURIComponent(accountId)}/capacity`, { capacity });
}
