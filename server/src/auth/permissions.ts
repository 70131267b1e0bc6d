/**
 * Who may do what: the one table of role × action that every HTTP route and socket namespace
 * asks before acting. A cell says how far the permission reaches:
 * - 'none': never;
 * - 'self': only on the caller's own things (an officer's own desk, a booth's own session);
 * - 'branch': on things of the branches the caller covers.
 * Adding a route or event means adding its action here; the authorization test walks every cell.
 */
import type { Role } from './roles.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';

/** Someone the server has authenticated: a staff member's session, or a booth's device credential. */
export type Principal =
  | { kind: 'staff'; role: Role; accountId: string; branchIds: readonly string[]; sessionId: string; expiresAt: number }
  | { kind: 'booth'; role: 'booth'; boothId: string; branchId: string };

export type PrincipalRole = Principal['role'];
export const PRINCIPAL_ROLES: readonly PrincipalRole[] = ['officer', 'supervisor', 'it_admin', 'booth'];

export type Reach = 'none' | 'self' | 'branch';

export const PERMISSIONS = {
  /** GET /api/session: who am I. */
  'session.view': { officer: 'self', supervisor: 'self', it_admin: 'self', booth: 'none' },
  /**
   * The /officer socket namespace: serve one's own desk (media and desk commands). Supervisors
   * serve too, as contact-centre supervisors take calls: claimants are handed to them (escalations).
   */
  'desk.serve': { officer: 'self', supervisor: 'self', it_admin: 'none', booth: 'none' },
  /** The /booth socket namespace: the booth's own session only. */
  'booth.connect': { officer: 'none', supervisor: 'none', it_admin: 'none', booth: 'self' },
  /** GET /api/branches/:branchId/officers: officers, their roles and capacity. */
  'officers.view': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  /** The /monitor socket namespace: watch and hear a live visit of the branch, unknown to the officer and the claimant. */
  'visit.monitor': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  /** `monitor:barge` on /monitor: the monitored booth hears the supervisor, and the officer is told. */
  'visit.barge': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  /** GET /api/branches/:branchId/queue: the live queue, officers' load and today's waits. */
  'queue.view': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  /** PUT /api/officers/:accountId/capacity. */
  'officer.capacity.set': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  /** POST /api/officers/:accountId/recall: ask an officer on a break to come back (a message on their console). */
  'officer.recall': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  /** GET /api/branches/:branchId/booths: the fleet, without media or records. */
  'booths.view': { officer: 'none', supervisor: 'none', it_admin: 'branch', booth: 'none' },
  /** POST /api/branches/:branchId/booths: a new booth and its first enrolment code. */
  'booth.create': { officer: 'none', supervisor: 'none', it_admin: 'branch', booth: 'none' },
  /** POST /api/booths/:boothId/enrolment-code: a new code, voiding earlier ones (re-enrolment). */
  'booth.enrolment.issue': { officer: 'none', supervisor: 'none', it_admin: 'branch', booth: 'none' },
  /** POST /api/booths/:boothId/revoke. */
  'booth.revoke': { officer: 'none', supervisor: 'none', it_admin: 'branch', booth: 'none' },
  /** `outcome:submit` on /officer: decide a visit at one's own desk. */
  'outcome.submit': { officer: 'self', supervisor: 'self', it_admin: 'none', booth: 'none' },
  /** GET /api/branches/:branchId/wrap-up-codes: the codes officers file visits under. */
  'wrapup.codes.view': { officer: 'branch', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  /** POST /api/branches/:branchId/wrap-up-codes and PATCH /api/wrap-up-codes/:codeId: add, rename, retire, choose the default. */
  'wrapup.codes.manage': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  /** `wrapup:file` on /officer: file a visit one ended under a wrap-up code. */
  'wrapup.file': { officer: 'self', supervisor: 'self', it_admin: 'none', booth: 'none' },
  /** GET /api/branches/:branchId/outcome-failures: outcomes that could not be recorded or forwarded. */
  'outcomes.failures.view': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  /** GET /api/branches/:branchId/reviews: the branch's outcomes waiting for a second person's review. */
  'review.view': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  /** POST /api/reviews/:visitId/confirm and …/reopen: answer a review (never one's own decision). */
  'review.decide': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  /**
   * `visit:transfer` and `transfer:targets` on /officer: hand the claimant at one's own booth to
   * another signed-in officer or supervisor of the visit's branch, or back to the front of its queue.
   */
  'visit.transfer': { officer: 'self', supervisor: 'self', it_admin: 'none', booth: 'none' },
  /** `document:request` on /officer: ask one of one's own booths for a document photo. */
  'document.request': { officer: 'self', supervisor: 'self', it_admin: 'none', booth: 'none' },
  /** `liveness:challenge`, `liveness:judge` and `liveness:clear` on /officer: set one's own booth in session a liveness challenge, judge it, and clear it. */
  'liveness.challenge': { officer: 'self', supervisor: 'self', it_admin: 'none', booth: 'none' },
  /** POST /api/documents/:requestId: the booth answers a photo request made of it. */
  'document.upload': { officer: 'none', supervisor: 'none', it_admin: 'none', booth: 'self' },
  /** GET /api/documents/:documentId: the officer who asked for the photo or serves its visit now, or a supervisor of its branch. */
  'document.view': { officer: 'self', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  /** POST /api/booths/:boothId/reload: the kiosk reloads its page. */
  'booth.reload': { officer: 'none', supervisor: 'none', it_admin: 'branch', booth: 'none' },
  /** PUT /api/booths/:boothId/service: out of service, or back. */
  'booth.service.set': { officer: 'none', supervisor: 'none', it_admin: 'branch', booth: 'none' },
  /** POST /api/booths/:boothId/rotate-credential: a new device credential, handed to the live kiosk. */
  'booth.credential.rotate': { officer: 'none', supervisor: 'none', it_admin: 'branch', booth: 'none' },
  /** `help:request` on /journey: the claimant at the booth asks branch staff for help. */
  'help.request': { officer: 'none', supervisor: 'none', it_admin: 'none', booth: 'self' },
  /** GET /api/branches/:branchId/help-requests: the booths whose claimants asked for help. */
  'help.view': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  /** POST /api/branches/:branchId/help-requests/:boothId/clear: someone went to the booth. */
  'help.clear': { officer: 'none', supervisor: 'branch', it_admin: 'none', booth: 'none' },
  /** POST /api/booths/:boothId/self-test: the kiosk runs its self-test now. */
  'booth.selftest.run': { officer: 'none', supervisor: 'none', it_admin: 'branch', booth: 'none' },
} as const satisfies Record<string, Record<PrincipalRole, Reach>>;

export type Action = keyof typeof PERMISSIONS;
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

/** What an action is done to: the caller's own things, or things belonging to branches. */
export type Target = { self: true } | { branchIds: readonly string[] };

/**
 * Throws UnauthorizedError when nobody is signed in, ForbiddenError when the table does not let
 * this principal do `action` to `target`; returns the principal otherwise.
 */
export function authorize(candidate: Principal | null, action: Action, target: Target): Principal {
  const principal = authorizeRole(candidate, action);
  const reach: Reach = PERMISSIONS[action][principal.role];
  if ('self' in target) {
    if (reach !== 'self') throw new ForbiddenError(`${action} needs a target`);
    return principal;
  }
  if (reach !== 'branch' || !coversAny(principal, target.branchIds)) {
    throw new ForbiddenError(`${action} is limited to your own branches`);
  }
  return principal;
}

function coversAny(principal: Principal, branchIds: readonly string[]): boolean {
  const own = principal.kind === 'staff' ? principal.branchIds : [principal.branchId];
  return branchIds.some((branchId) => own.includes(branchId));
}

/**
 * The first half of `authorize`, for routes that must look their target up before they know
 * its branches: refuses callers whose role may never do `action`, so they learn nothing from
 * whether the target exists.
 */
export function authorizeRole(principal: Principal | null, action: Action): Principal {
  if (principal === null) throw new UnauthorizedError('Sign in first');
  if (PERMISSIONS[action][principal.role] === 'none') throw new ForbiddenError(`A ${principal.role} may not ${action}`);
  return principal;
}
