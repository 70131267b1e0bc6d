/**
 * The sign-in session of the user of each staff page (console, supervisor, fleet): each runs only while
 * one is live, and goes to the shared sign-in page (coming back to itself afterwards) when there
 * is none or it ends.
 */

/** What the pages use of the signed-in account (GET /api/session). */
export interface SignedInAccount {
  accountId: string;
  displayName: string;
  role: string;
  /** The branches the account works in; a supervisor sees these branches' queues, an IT admin their booths. */
  branchIds: string[];
}

/** The signed-in account, or null when this browser has no live session. */
export async function fetchSession(): Promise<SignedInAccount | null> {
  const response = await fetch('/api/session', { credentials: 'same-origin', cache: 'no-store' });
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(`GET /api/session answered ${response.status}`);
  const body = (await response.json()) as { data: SignedInAccount };
  return body.data;
}

/** Leaves for the sign-in page, which sends the user back to this page; `expired` says the session ended rather than never began. */
export function goToSignIn(reason: 'none' | 'expired'): void {
  const query = new URLSearchParams({ next: location.pathname + location.search });
  if (reason === 'expired') query.set('notice', 'expired');
  location.assign(`/signin?${query.toString()}`);
}
