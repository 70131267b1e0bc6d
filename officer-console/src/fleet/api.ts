/** The fleet page's calls to the server's JSON API, through the supervisor page's `call`. */
import { call } from '../supervisor/api.js';

/** One booth of a branch, as GET /api/branches/:branchId/booths lists it. */
export interface BoothView {
  boothId: string;
  name: string;
  /** The kiosk holds a valid device credential. */
  enrolled: boolean;
  /** When the booth was revoked (ISO 8601); null unless it is revoked now. */
  revokedAt: string | null;
  outOfService: boolean;
}

/** A one-time enrolment code for a booth's kiosk. */
export interface EnrolmentCode {
  boothId: string;
  code: string;
  /** When the code stops working (ISO 8601). */
  expiresAt: string;
}

const branchPath = (branchId: string): string => `/api/branches/${encodeURIComponent(branchId)}/booths`;
const boothPath = (boothId: string): string => `/api/booths/${encodeURIComponent(boothId)}`;

/** The branch's booths, by id. */
export function fetchBooths(branchId: string): Promise<BoothView[]> {
  return call('GET', branchPath(branchId));
}

/** Adds a booth to the branch; answers with its first enrolment code. */
export function createBooth(branchId: string, booth: { id: string; name: string }): Promise<EnrolmentCode> {
  return call('POST', branchPath(branchId), booth);
}

/** A new enrolment code for the booth; earlier codes stop working. */
export function issueEnrolmentCode(boothId: string): Promise<EnrolmentCode> {
  return call('POST', `${boothPath(boothId)}/enrolment-code`);
}

/** Disconnects the booth and refuses its credential until it is enrolled again. */
export async function revokeBooth(boothId: string): Promise<void> {
  await call('POST', `${boothPath(boothId)}/revoke`);
}
