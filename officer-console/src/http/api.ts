/**
 * The staff pages' calls to the server's JSON API (supervisor and fleet pages alike). Every answer
 * is `{ ok: true, data }` or `{ ok: false, error, message }`; a failure becomes an ApiError
 * carrying the HTTP status.
 */
import { goToSignIn } from '../session.js';

/**
 * When `error` says the session ended (401), stops the page's work and leaves for sign-in;
 * returns whether it did, so callers show other errors themselves.
 */
export function leaveIfSignedOut(error: unknown, stopWork: () => void): boolean {
  if (!(error instanceof ApiError) || error.status !== 401) return false;
  stopWork();
  goToSignIn('expired');
  return true;
}

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

/** Calls the JSON API with the session cookie; resolves to the answer's data or throws an ApiError. */
export async function call<T>(method: 'GET' | 'PUT' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    // Same-origin with the session cookie; on a PUT, POST or PATCH the browser adds the Origin the server checks.
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
  throw new ApiError(
    response.status,
    answer && !answer.ok ? `${answer.error}: ${answer.message}` : `${method} ${path} answered ${response.status}`,
  );
}
