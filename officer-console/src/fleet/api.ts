/** The fleet page's calls to the server's JSON API. */
import type { BoothFleetView } from '@bilik/shared/fleet';
import { call } from '../http/api.js';

/** One booth of a branch, as GET /api/branches/:branchId/booths lists it. */
export type BoothView = BoothFleetView;

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

/** Asks the booth's kiosk to reload its page (after the claimant in session, if any, is done). */
export async function reloadBooth(boothId: string): Promise<void> {
  await call('POST', `${boothPath(boothId)}/reload`);
}

/** Takes the booth out of service (a waiting claimant leaves the queue), or puts it back. */
export async function setOutOfService(boothId: string, outOfService: boolean): Promise<void> {
  await call('PUT', `${boothPath(boothId)}/service`, { outOfService });
}

/** Gives the booth a new credential; refused (409) unless its kiosk is online to store it. */
export async function rotateCredential(boothId: string): Promise<void> {
  await call('POST', `${boothPath(boothId)}/rotate-credential`);
}

/** Asks the booth's kiosk to run its self-test; the results show in the list when it reports. */
export async function runSelfTest(boothId: string): Promise<void> {
  await call('POST', `${boothPath(boothId)}/self-test`);
}
