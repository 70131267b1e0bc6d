/**
 * The kiosk's device credential: issued when branch IT enrols the booth (the enrolment screen,
 * or handed to the page once in the address, `#credential=...`, which never reaches the server),
 * then kept in this origin's local storage so every later boot starts without anyone touching
 * the booth.
 * It identifies the booth, never a claimant, so ending a claimant's session leaves it alone.
 */
const STORAGE_KEY = 'bilik.deviceCredential';
const HASH_PARAMETER = 'credential';

/** The credential this kiosk holds, taking a newly handed one from the address first; null when it holds none. */
export function loadDeviceCredential(): string | null {
  const handed = new URLSearchParams(location.hash.slice(1)).get(HASH_PARAMETER);
  if (handed) {
    localStorage.setItem(STORAGE_KEY, handed);
    // Out of the address bar and history, so it is not on screen or in a bookmark.
    history.replaceState(null, '', location.pathname + location.search);
  }
  return localStorage.getItem(STORAGE_KEY);
}

/** Keeps a credential the enrolment screen received. */
export function storeDeviceCredential(credential: string): void {
  localStorage.setItem(STORAGE_KEY, credential);
}

/** Forgets a credential the server no longer accepts (revoked or replaced), so the kiosk asks to be enrolled. */
export function forgetDeviceCredential(): void {
  localStorage.removeItem(STORAGE_KEY);
}

/**
 * Empties this origin's storage of everything but the credential, so nothing a claimant's visit
 * (or a library during it) left there reaches the next claimant.
 */
export function forgetAllButCredential(): void {
  sessionStorage.clear();
  for (const key of Object.keys(localStorage)) {
    if (key !== STORAGE_KEY) localStorage.removeItem(key);
  }
}
