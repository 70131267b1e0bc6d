/** The supervisor page's calls to the server's JSON API. */
import type { BranchQueueDays, BranchQueueView, HelpRequestView } from '@bilik/shared/journey';
import type { OutcomeFailureView, ReviewView, WrapUpCodeView } from '@bilik/shared/outcome';
import { call } from '../http/api.js';

/** The branch's live queue, officers and today's numbers. */
export function fetchBranchQueue(branchId: string): Promise<BranchQueueView> {
  return call('GET', `/api/branches/${encodeURIComponent(branchId)}/queue`);
}

/** The branch's figures per day, the last `days` that have any, oldest first. */
export function fetchQueueDays(branchId: string, days: number): Promise<BranchQueueDays> {
  return call('GET', `/api/branches/${encodeURIComponent(branchId)}/queue-days?days=${days}`);
}

/** The branch's verification outcomes that failed to be recorded or forwarded, or wait to be retried. */
export function fetchOutcomeFailures(branchId: string): Promise<OutcomeFailureView[]> {
  return call('GET', `/api/branches/${encodeURIComponent(branchId)}/outcome-failures`);
}

/** The kiosks of the branch whose claimants asked for help, the oldest first. */
export function fetchHelpRequests(branchId: string): Promise<HelpRequestView[]> {
  return call('GET', `/api/branches/${encodeURIComponent(branchId)}/help-requests`);
}

/** Marks a kiosk's call for help handled: someone went to the booth. */
export async function clearHelpRequest(branchId: string, boothId: string): Promise<void> {
  await call('POST', `/api/branches/${encodeURIComponent(branchId)}/help-requests/${encodeURIComponent(boothId)}/clear`);
}

/** Asks an officer on a break to come back: their console shows the supervisor's request. */
export async function recallOfficer(accountId: string): Promise<void> {
  await call('POST', `/api/officers/${encodeURIComponent(accountId)}/recall`);
}

/** Sets how many booths an officer serves at once (4 to 6). */
export async function setOfficerCapacity(accountId: string, capacity: number): Promise<void> {
  await call('PUT', `/api/officers/${encodeURIComponent(accountId)}/capacity`, { capacity });
}

/** The branch's verification outcomes waiting for a supervisor's review, the oldest first. */
export function fetchReviews(branchId: string): Promise<ReviewView[]> {
  return call('GET', `/api/branches/${encodeURIComponent(branchId)}/reviews`);
}

/** Confirms a reviewed outcome: it goes to the back office. */
export async function confirmReview(visitId: string): Promise<void> {
  await call('POST', `/api/reviews/${encodeURIComponent(visitId)}/confirm`);
}

/** Reopens a reviewed outcome for `reason`: it is not forwarded, and the branch follows it up. */
export async function reopenReview(visitId: string, reason: string): Promise<void> {
  await call('POST', `/api/reviews/${encodeURIComponent(visitId)}/reopen`, { reason });
}

/** The branch's wrap-up codes, live ones first. */
export function fetchWrapUpCodes(branchId: string): Promise<WrapUpCodeView[]> {
  return call('GET', `/api/branches/${encodeURIComponent(branchId)}/wrap-up-codes`);
}

/** Adds a live wrap-up code to the branch; as its default, it replaces the previous default. */
export function addWrapUpCode(branchId: string, code: { label: string; isDefault: boolean }): Promise<WrapUpCodeView> {
  return call('POST', `/api/branches/${encodeURIComponent(branchId)}/wrap-up-codes`, code);
}

/** Renames a wrap-up code, makes it the default, retires it or brings it back. */
export function changeWrapUpCode(
  codeId: string,
  change: { label?: string; isDefault?: boolean; retired?: boolean },
): Promise<WrapUpCodeView> {
  return call('PATCH', `/api/wrap-up-codes/${encodeURIComponent(codeId)}`, change);
}
