/**
 * The officer's sign-in session: the console runs only while one is live, and goes to the shared
 * sign-in page (coming back here afterwards) when there is none or it ends.
 */

/** What the console shows of the signed-in officer. */
export interface SignedInOfficer {
  displayName: string;
  role: string;
}

/** The signed-in account, or null when this browser has no live session. */
export async function fetchSession(): Promise<SignedInOfficer | null> {
  const response = await fetch('/api/session', { credentials: 'same-origin', cache: 'no-store' });
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(`GET /api/session answered ${response.status}`);
  const body = (await response.json()) as { data: SignedInOfficer };
  return body.data;
}

/** Leaves for the sign-in page; `expired` says the session ended rather than never began. */
export function goToSignIn(reason: 'none' | 'expired'): void {
  const query = new URLSearchParams({ next: location.pathname + location.search });
  if (reason === 'expired') query.set('notice', 'expired');
  location.assign(`/signin?${query.toString()}`);
}
